// GramineAttestationDevice and GramineDcapAttester. No SGX hardware here: the device is tested
// against a folder holding the files Gramine's /dev/attestation would
// (https://gramine.readthedocs.io/en/stable/attestation.html), the attester against the MAA fake
// with a stand-in device (the full release flow is in skrProvider.test.ts).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isSealedError } from '../../../src/core/index.ts';
import { GramineAttestationDevice, GramineDcapAttester, MAX_QUOTE_BYTES } from '../../../src/seal/azure/gramineAttester.ts';
import { startAzureFixture, type AzureFixture } from './azureFixture.ts';
import { FakeSgxDevice } from './fakeSgx.ts';

describe('GramineAttestationDevice', () => {
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'sealed-gramine-'));
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('writes 64 bytes of report data when attestation_type is dcap, reads the quote', async () => {
    await fsp.writeFile(join(dir, 'attestation_type'), 'dcap\n');
    await fsp.writeFile(join(dir, 'user_report_data'), '');
    await fsp.writeFile(join(dir, 'quote'), Buffer.from('quote-bytes'));
    const device = new GramineAttestationDevice(dir);
    const data = randomBytes(64);
    await device.writeUserReportData(data);
    assert.deepEqual(await fsp.readFile(join(dir, 'user_report_data')), data);
    assert.equal(Buffer.from(await device.readQuote()).toString(), 'quote-bytes');
  });

  test('refuses report data that is not 64 bytes, a non-DCAP enclave, an oversized or missing quote', async () => {
    const device = new GramineAttestationDevice(dir);
    await assert.rejects(device.writeUserReportData(randomBytes(32)), /must be 64 bytes, got 32/);
    await fsp.writeFile(join(dir, 'attestation_type'), 'none');
    await assert.rejects(device.writeUserReportData(randomBytes(64)), /attestation_type: is 'none', not 'dcap'/);
    await fsp.writeFile(join(dir, 'quote'), Buffer.alloc(MAX_QUOTE_BYTES + 1));
    await assert.rejects(device.readQuote(), /quote: is longer than 65536 bytes/);
    await assert.rejects(new GramineAttestationDevice(join(dir, 'absent')).readQuote(), (e: unknown) => isSealedError(e) && e.code === 'attest.deviceFailed' && /not running inside a Gramine SGX enclave/.test(e.message));
  });
});

describe('GramineDcapAttester', () => {
  let fx: AzureFixture;
  before(async () => {
    fx = await startAzureFixture();
  });
  after(async () => {
    await fx.close();
  });

  test('report data = sha256(runtime data) || zeros; POSTs quote, runtime data and nonce; returns the token', async () => {
    const device = new FakeSgxDevice(fx.identity);
    const attester = new GramineDcapAttester({ maaEndpoint: fx.maa.url, device, dispatcher: fx.dispatcher });
    const runtimeData = Buffer.from(JSON.stringify({ nonce: 'n', keys: [] }));
    const token = await attester.attest({ runtimeData, nonce: 'n' });
    assert.deepEqual(device.reportData, Buffer.concat([createHash('sha256').update(runtimeData).digest(), Buffer.alloc(32)]));
    const req = fx.maa.attestRequests.at(-1)!;
    assert.equal(req.body.nonce, 'n');
    assert.deepEqual(req.body.runtimeData, { data: runtimeData.toString('base64url'), dataType: 'JSON' });
    assert.match(req.body.quote as string, /^[A-Za-z0-9_-]+$/);
    assert.equal(token.split('.').length, 3);
  });

  test('the MAA endpoint must be https (plain http only for loopback with the test option)', () => {
    assert.throws(() => new GramineDcapAttester({ maaEndpoint: 'http://x.attest.azure.net' }), /MAA endpoint 'http:\/\/x\.attest\.azure\.net' must be an https:\/\/ URL/);
    assert.throws(() => new GramineDcapAttester({ maaEndpoint: 'https://x.attest.azure.net/attest' }), /no path/);
    assert.equal(new GramineDcapAttester({ maaEndpoint: 'http://127.0.0.1:9', allowInsecureLocalhost: true }).maaEndpoint, 'http://127.0.0.1:9');
  });

  test('runtime data over 64 KiB is refused before the device is touched', async () => {
    const device = new FakeSgxDevice(fx.identity);
    const attester = new GramineDcapAttester({ maaEndpoint: fx.maa.url, device, dispatcher: fx.dispatcher });
    await assert.rejects(attester.attest({ runtimeData: Buffer.alloc(65 * 1024), nonce: 'n' }), /must be 1 to 65536 bytes/);
    assert.equal(device.reportData, undefined);
  });

  test('an MAA that is down is one line naming the URL', async () => {
    const attester = new GramineDcapAttester({ maaEndpoint: 'https://127.0.0.1:9', device: new FakeSgxDevice(fx.identity), dispatcher: fx.dispatcher, timeoutMs: 2000 });
    await assert.rejects(attester.attest({ runtimeData: Buffer.from('{}'), nonce: 'n' }), (e: unknown) => isSealedError(e) && /cannot get an attestation token from https:\/\/127\.0\.0\.1:9\/attest\/SgxEnclave\?api-version=2022-08-01: connection refused/.test(e.message));
  });
});
