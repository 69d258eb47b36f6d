// The run statement (src/seal/attest/statement.ts) and what signRun collects from run.json
// (collect.ts). Statement shape per https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
// (subject = ResourceDescriptor {name, digest: DigestSet}, digest_set.md: lowercase hex sha256).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataError } from '../../../src/core/index.ts';
import {
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  RUN_MANIFEST_PREDICATE_TYPE,
  buildRunStatement,
  parseRunStatement,
  signRun,
  signStatement,
  type RunAttestationInput,
} from '../../../src/seal/attest/index.ts';
import { MemoryKeyProvider } from '../memoryKeyProvider.ts';
import { PLAIN, RUN_ID, ed25519Pair, makeRun, payloadOf, sha } from './helpers.ts';

const { signer } = ed25519Pair();
const input = (artifacts: RunAttestationInput['artifacts']): RunAttestationInput => ({
  runId: 'r1',
  pipeline: 'p',
  createdAt: '2026-01-01T00:00:00.000Z',
  sealed: false,
  artifacts,
  keys: { signingKey: signer.keyId },
});
const file = (name: string) => ({ role: 'output' as const, task: 't', output: 'o', type: 'system.Dataset', name, sha256: sha(name), size: 1 });

describe('run statement', () => {
  it('signRun on a run folder: subjects = every file in run order, digests of the stored bytes, predicate says what each is', async () => {
    const run = await makeRun(signer);
    assert.equal(run.envelope.payloadType, IN_TOTO_PAYLOAD_TYPE);
    const statement = payloadOf(run.envelope);
    assert.equal(statement._type, IN_TOTO_STATEMENT_TYPE);
    assert.equal(statement.predicateType, RUN_MANIFEST_PREDICATE_TYPE);
    assert.deepEqual(
      statement.subject.map((s) => s.name),
      ['inputs/data.csv', 'make-numbers/numbers.csv', 'make-numbers/log.txt', 'fit-model/model.json', 'fit-model/model.json.metadata.json', 'fit-model/plots/pr.svg', 'fit-model/plots/roc.svg', 'pipeline.json', 'run.json'],
    );
    for (const s of statement.subject) assert.equal(s.digest.sha256, sha(readFileSync(join(run.dir, s.name))), s.name);
    const p = statement.predicate as Record<string, unknown>;
    assert.deepEqual({ runId: p.runId, pipeline: p.pipeline, createdAt: p.createdAt, sealed: p.sealed, keys: p.keys }, { runId: RUN_ID, pipeline: 'toy-pipeline', createdAt: '2026-01-01T00:00:00.000Z', sealed: false, keys: { signingKey: signer.keyId } });
    assert.deepEqual(statement.predicate.artifacts[1], { name: 'make-numbers/numbers.csv', role: 'output', task: 'make-numbers', output: 'numbers', type: 'system.Dataset', size: 6, sha256: sha(PLAIN['make-numbers/numbers.csv']) });
    assert.deepEqual(statement.predicate.artifacts[5], { name: 'fit-model/plots/pr.svg', role: 'output', task: 'fit-model', output: 'plots', type: 'system.HTML', folder: 'fit-model/plots', size: 14, sha256: sha(PLAIN['fit-model/plots/pr.svg']) });
    assert.deepEqual(statement.predicate.artifacts.map((a) => a.role), ['input', 'output', 'log', 'output', 'metadata', 'output', 'output', 'spec', 'manifest']);
  });

  it('a sealed run: sha256 is of the ciphertext, plaintext digest and seal context recorded, kek named', async () => {
    const run = await makeRun(signer, { keyProvider: new MemoryKeyProvider() });
    const statement = payloadOf(run.envelope);
    const model = statement.predicate.artifacts.find((a) => a.name === 'fit-model/model.json')!;
    assert.equal(model.sha256, sha(readFileSync(join(run.dir, 'fit-model/model.json'))));
    assert.notEqual(model.sha256, sha(PLAIN['fit-model/model.json']));
    // Read from the model's metadata file (its metadata is filed, not inline in run.json).
    assert.deepEqual(model.sealed, { runId: RUN_ID, plaintextSha256: sha(PLAIN['fit-model/model.json']), plaintextSize: 18, task: 'fit-model', artifact: 'model', type: 'system.Model' });
    assert.equal(statement.predicate.artifacts.filter((a) => a.sealed !== undefined).length, 3);
    assert.equal(statement.predicate.sealed, true);
    assert.deepEqual(statement.predicate.keys, { signingKey: signer.keyId, kek: { provider: 'memory', keyId: 'test-key' } });
  });

  it('refuses to sign a sealed output whose seal record describes other bytes than run.json', async () => {
    const keys = new MemoryKeyProvider();
    const run = await makeRun(signer, { keyProvider: keys });
    const path = join(run.dir, 'run.json');
    const record = JSON.parse(readFileSync(path, 'utf8'));
    record.tasks['make-numbers'].outputs.numbers.metadata.sealed.sha256 = 'd'.repeat(64);
    writeFileSync(path, JSON.stringify(record));
    await assert.rejects(signRun(run.store, signer), (e: unknown) => e instanceof DataError && /make-numbers\/numbers\.csv' has a seal record for other bytes/.test(e.message));
  });

  it('refuses to sign unsafe, duplicate or undigested artifacts (path traversal, absolute, backslash, control characters, the signature file)', () => {
    const cases: [string, RegExp][] = [
      ['../x', /'\.\.' segment/],
      ['/etc/passwd', /absolute/],
      ['a\\b', /contains '\\'/],
      ['a//b', /empty path segment/],
      ['a/\x1b[2J', /control or bidi/],
      ['run.sig.json', /signature file itself/],
    ];
    for (const [name, pattern] of cases) {
      assert.throws(() => buildRunStatement(input([file(name)])), (e: unknown) => e instanceof DataError && e.code === 'integrity.badInput' && pattern.test(e.message) && !e.message.includes('\x1b'), name);
    }
    assert.throws(() => buildRunStatement(input([file('a'), file('a')])), /is listed twice/);
    assert.throws(() => buildRunStatement(input([{ ...file('a'), sha256: 'ABC' }])), /lowercase hex sha256/);
    assert.throws(() => buildRunStatement(input([{ ...file('a'), size: -1 }])), /no valid size/);
    assert.throws(() => buildRunStatement(input([{ role: 'output', kind: 'directory', name: 'd', files: [{ name: 'e/x', sha256: sha('x'), size: 1 }] }])), /not inside its folder 'd'/);
  });

  it('signStatement refuses a signer other than the key the statement names', () => {
    const statement = buildRunStatement(input([file('a')]));
    assert.throws(() => signStatement(statement, ed25519Pair().signer), (e: unknown) => e instanceof DataError && e.code === 'integrity.wrongSigner');
  });

  it('parseRunStatement: round trip; unknown fields ignored; wrong types and other predicate types refused', () => {
    const statement = buildRunStatement(input([file('a')]));
    const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));
    assert.deepEqual(parseRunStatement(bytes(statement)), statement);
    assert.deepEqual(parseRunStatement(bytes({ ...statement, extension: { x: 1 } })), statement);
    assert.throws(() => parseRunStatement(bytes({ ...statement, predicateType: 'https://slsa.dev/provenance/v1' })), /predicateType/);
    assert.throws(() => parseRunStatement(bytes({ ...statement, _type: 'https://in-toto.io/Statement/v0.1' })), /_type/);
    assert.throws(() => parseRunStatement(bytes({ ...statement, subject: [{ name: 'a', digest: { sha512: 'ab' } }] })), /subject\.0\.digest\.sha256/);
    assert.throws(() => parseRunStatement(Buffer.from('nope')), /not JSON/);
  });
});
