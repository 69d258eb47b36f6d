// Sealed runs kept in every store (issue 16, items 6 and 8): `sealed run --seal --store URL` on the
// local folder, S3 (s3rver) and Azure Blob (Azurite), each started on 127.0.0.1 by the store
// fixture (test/pipeline/store/storeCases.ts). The same tamper table (tamperTable.ts) runs against
// each: raw bytes changed behind the store's back (test/pipeline/store StoreTamper) must make the
// pipeline's reader refuse the artifact in one line naming it. The store never holds plaintext of
// the input (its raw objects are grepped), and `sealed verify` checks the run where it lives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAllBytes } from '../../src/core/index.ts';
import { parseStoreUrl, storedArtifactSource, type ArtifactStore, type OutputRecord, type RunManifest } from '../../src/pipeline/index.ts';
import { DEFAULT_SEGMENT_SIZE, initKeyFolder, LocalKeyProvider, SealingCodec } from '../../src/seal/index.ts';
import { writeRawCsv } from '../pipelines/loan-default/helpers.ts';
import { runCli } from '../cli/helpers.ts';
import { loanDefaultCatalog } from '../../src/cli/pipelineCatalog.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { forEachStore, type StoreCaseContext } from '../pipeline/store/storeCases.ts';
import { assertRefused, tamperCases, type RawAccess } from './tamperTable.ts';

const cwd = tempDir();
const VICTIM = 'load-data/credit_risk_dataset.csv';
const SIBLING = 'create-train-test-set/x_train_data.csv';

interface StoredRun {
  store: ArtifactStore;
  manifest: RunManifest;
  url: string;
}

/** A sealed run through the CLI into the store `ctx` serves; returns it opened for reading. */
async function sealedRunIn(ctx: StoreCaseContext, raw: string, prefix: string): Promise<StoredRun> {
  const { text, options } = ctx.url(prefix);
  const args = ctx.kind === 'local' ? ['--run-dir', text] : ['--store', text, ...(options.s3Endpoint ? ['--s3-endpoint', options.s3Endpoint] : [])];
  const r = await runCli(['run', '--data-url', raw, '--seed', '3', '--seal', '--keys', 'keys', '--json', ...args], { catalog: loanDefaultCatalog, cwd, env: ctx.env() });
  assert.equal(r.code, 0, r.stderr);
  const runDir = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
  const url = ctx.kind === 'local' ? text : runDir;
  const store = parseStoreUrl(url, ctx.env(), options);
  const manifest = JSON.parse((await store.get('run.json')).toString('utf8')) as RunManifest;
  return { store, manifest, url };
}

const recordOf = (m: RunManifest, key: string): OutputRecord => {
  const found = Object.values(m.tasks).flatMap((t) => Object.values(t.outputs ?? {})).find((o) => o.path === key);
  assert.ok(found, `run.json lists ${key}`);
  return found;
};

forEachStore('sealed runs in the store', (_makeStore, tamper, ctx) => {
  let raw: string;
  let one: StoredRun;
  let two: StoredRun;

  test('a sealed run kept in the store completes, and the store holds no plaintext of the input', async () => {
    await initKeyFolder(join(cwd, 'keys')).catch(() => undefined);
    raw = writeRawCsv(cwd, `raw-${ctx.kind}.csv`, 3000, 7);
    one = await sealedRunIn(ctx, raw, `one-${ctx.kind}`);
    two = await sealedRunIn(ctx, raw, `two-${ctx.kind}`);
    assert.equal(one.manifest.state, 'succeeded');
    assert.equal(one.manifest.sealed, true);
    const names = await tamper.list(one.store);
    assert.ok(names.includes(VICTIM) && names.includes('run.sig.json'), names.join(', '));
    const rows = readFileSync(raw, 'utf8').trim().split('\n').slice(1, 301);
    // Only fragments whose fields are all present: '5500,' (an empty rate) would also match a size in run.json.
    const needles = rows.flatMap((r) => [r.split(',').slice(0, 3), r.split(',').slice(6, 8)]).filter((f) => f.every((x) => x !== '')).map((f) => f.join(','));
    for (const name of names) {
      const bytes = (await tamper.read(one.store, name)).toString('latin1');
      const hit = needles.find((n) => bytes.includes(n));
      assert.equal(hit, undefined, `${ctx.kind} object ${name} holds input row text '${hit}'`);
    }
  });

  test('sealed verify checks the run where it lives, keys unseal it; a changed object is reported', async () => {
    const endpoint = ctx.url('x').options.s3Endpoint;
    const args = ['verify', one.url, '--keys', 'keys', ...(endpoint ? ['--s3-endpoint', endpoint] : [])];
    const ok = await runCli(args, { cwd, env: ctx.env() });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /verified: run .* plaintexts checked/);
    const model = 'train-model/model.json';
    const original = await tamper.read(one.store, model);
    await tamper.flipBit(one.store, model, 200);
    try {
      const bad = await runCli(args, { cwd, env: ctx.env() });
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /changed: 'train-model\/model\.json' was changed/);
    } finally {
      await tamper.overwrite(one.store, model, original);
    }
  });

  for (const c of tamperCases) {
    test(`tamper: ${c.name} is refused, naming the artifact`, async () => {
      const access = (run: StoredRun): RawAccess => ({
        read: (key) => tamper.read(run.store, key),
        write: (key, bytes) => tamper.overwrite(run.store, key, bytes),
      });
      const original = await tamper.read(one.store, VICTIM);
      try {
        await c.apply({ victim: VICTIM, sibling: SIBLING, run: access(one), otherRun: access(two), segmentSize: DEFAULT_SEGMENT_SIZE });
        const codec = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: one.manifest.id });
        const source = storedArtifactSource(recordOf(one.manifest, VICTIM), codec, {
          path: one.store.uriFor(VICTIM),
          stored: () => streamOf(one.store, VICTIM),
        });
        await assertRefused(source, c, /credit_risk_dataset/);
      } finally {
        await tamper.overwrite(one.store, VICTIM, original);
      }
    });
  }

  test('the restored artifact reads again (the cases above changed only what they said)', async () => {
    const codec = new SealingCodec(await LocalKeyProvider.open(join(cwd, 'keys')), { runId: one.manifest.id });
    const bytes = await readAllBytes(storedArtifactSource(recordOf(one.manifest, VICTIM), codec, { path: VICTIM, stored: () => streamOf(one.store, VICTIM) }));
    assert.ok(bytes.toString('utf8').startsWith('person_age,'));
  });
});

async function* streamOf(store: ArtifactStore, key: string): AsyncGenerator<Uint8Array> {
  yield* (await store.read(key)) as AsyncIterable<Uint8Array>;
}

