// SIGSTRUCT parsing (src/seal/enclave/sigstruct.ts) against files written by Gramine's own Sigstruct class
// (fixtures/makeGramineSigstructs.py: python/graminelibos/sigstruct.py@v1.9, values as gramine-sgx-sigstruct-view
// prints them) and against real-layout SIGSTRUCTs signed here with a test RSA-3072 key; every attack on the file
// is refused with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../../src/core/index.ts';
import { parseSigstruct, SIGSTRUCT_SIZE } from '../../../src/seal/enclave/index.ts';
import { makeSigstruct, signSigstruct, testMrsigner } from './sigstructFixture.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'gramine-expected.json'), 'utf8')) as Record<string, { mr_signer: string; mr_enclave: string; isv_prod_id: number; isv_svn: number; debug_enclave: boolean; date: string }>;

const refused = (bytes: Uint8Array, reason: RegExp) =>
  assert.throws(
    () => parseSigstruct(bytes, 'x.sig'),
    (e: unknown) => e instanceof DataError && e.code === 'enclave.badSigstruct' && reason.test(e.message) && !e.message.includes('\n'),
  );

for (const name of ['production', 'debug']) {
  test(`a SIGSTRUCT written by Gramine's Sigstruct (${name}) gives what gramine-sgx-sigstruct-view prints`, () => {
    const id = parseSigstruct(readFileSync(join(fixtures, `gramine-${name}.sig`)), `gramine-${name}.sig`);
    const want = expected[name];
    assert.deepEqual(
      { mrsigner: id.mrsigner, mrenclave: id.mrenclave, isvProdId: id.isvProdId, isvSvn: id.isvSvn, debug: id.debug, date: id.date },
      { mrsigner: want.mr_signer, mrenclave: want.mr_enclave, isvProdId: want.isv_prod_id, isvSvn: want.isv_svn, debug: want.debug_enclave, date: want.date },
    );
    assert.equal(id.debugEnforced, true, 'Gramine signs with an all-ones ATTRIBUTEMASK.FLAGS');
  });
}

test('a SIGSTRUCT signed here: identity fields, MRSIGNER = SHA-256 of the little-endian modulus', () => {
  const mrenclave = createHash('sha256').update('enclave A').digest();
  const id = parseSigstruct(makeSigstruct({ mrenclave, isvProdId: 513, isvSvn: 65535, vendor: 0x8086 }));
  assert.equal(id.mrenclave, mrenclave.toString('hex'));
  assert.equal(id.mrsigner, testMrsigner());
  assert.match(id.mrsigner, /^[0-9a-f]{64}$/);
  assert.deepEqual([id.isvProdId, id.isvSvn, id.debug, id.debugEnforced, id.date, id.vendor], [513, 65535, false, true, '2026-05-14', 0x8086]);
});

test('attack: a bit flipped in any signed field (MRENCLAVE, ISVSVN, DEBUG, header reserve) breaks the signature', () => {
  for (const offset of [960, 1026, 928, 100]) {
    const b = makeSigstruct();
    b[offset] ^= 0x02;
    refused(b, /signature does not verify/);
  }
});

test('attack: the DEBUG bit set without re-signing is refused; re-signed it parses as debug', () => {
  const b = makeSigstruct();
  b.writeBigUInt64LE(b.readBigUInt64LE(928) | 0x2n, 928);
  refused(b, /signature does not verify/);
  assert.equal(parseSigstruct(signSigstruct(b)).debug, true);
});

test('attack: the signature (and Q1/Q2) of another enclave\'s SIGSTRUCT pasted in', () => {
  const b = makeSigstruct();
  const other = makeSigstruct({ isvSvn: 9 });
  b.set(other.subarray(516, 900), 516); // a valid signature, of another body
  b.set(other.subarray(1040, 1808), 1040); // and its matching Q1/Q2
  refused(b, /signature does not verify/);
});

test('attack: truncated, padded and empty files are refused by size', () => {
  const b = makeSigstruct();
  refused(b.subarray(0, 1807), /1807 bytes, a SIGSTRUCT is exactly 1808/);
  refused(Buffer.concat([b, Buffer.alloc(1)]), /1809 bytes/);
  refused(new Uint8Array(0), /0 bytes/);
  assert.equal(SIGSTRUCT_SIZE, 1808);
});

test('attack: garbage of the right size, wrong headers, wrong vendor, exponent, modulus, Q1/Q2', () => {
  refused(Buffer.alloc(1808, 0x41), /HEADER is not/);
  const cases: [(b: Buffer) => void, RegExp][] = [
    [(b) => (b[24] = 2), /HEADER2 is not/],
    [(b) => b.writeUInt32LE(0x1234, 16), /VENDOR is 0x1234/],
    [(b) => b.writeUInt32LE(65537, 512), /EXPONENT is 65537/],
    [(b) => (b[511] = 0x00), /3072-bit/], // top byte of the little-endian modulus
    [(b) => (b[1040] ^= 1), /Q1\/Q2/],
    [(b) => (b[1424] ^= 1), /Q1\/Q2/],
    [(b) => b.fill(0xff, 516, 900), /not smaller than the modulus/],
  ];
  for (const [edit, reason] of cases) {
    const b = makeSigstruct();
    edit(b);
    refused(b, reason);
  }
});
