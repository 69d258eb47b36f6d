// Each output is hashed once, while it is written (issue 17): run.json's sha256 of every output
// must still be the digest of the bytes on disk, however the component wrote them, and a file
// changed after its write must be recorded as it is, not as it was written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256, type ByteChunks } from '../../src/core/index.ts';
import { artifactInput, artifactOutput, ComponentRegistry, compilePipeline, defineComponent, definePipeline, LocalArtifactStore, runPipeline } from '../../src/pipeline/index.ts';
import { ManifestWriter, MANIFEST_KEY, type RunManifest } from '../../src/pipeline/local/manifest.ts';
import type { ArtifactStore } from '../../src/pipeline/store/index.ts';
import { tempDir } from './helpers/tempDir.ts';

const writer = defineComponent({
  name: 'writer',
  outputs: {
    handle: artifactOutput('system.Dataset', { extension: '.csv' }),
    path: artifactOutput('system.Dataset', { extension: '.csv' }),
    edited: artifactOutput('system.Dataset', { extension: '.csv' }),
  },
  run: async (ctx) => {
    await ctx.outputs.handle.write(['a,b\n', Buffer.from('1,2\n')]);
    await writeFile(ctx.outputs.path.path, 'x\n1\n');
    // attack: written through the handle (digest recorded), then edited by path with the same
    // size and its times restored: the record must be of the edited bytes.
    await ctx.outputs.edited.write(['a,b\n1,2\n']);
    const before = statSync(ctx.outputs.edited.path);
    writeFileSync(ctx.outputs.edited.path, 'a,b\n9,9\n');
    utimesSync(ctx.outputs.edited.path, before.atime, before.mtime);
  },
});
const reader = defineComponent({
  name: 'reader',
  inputs: { data: artifactInput('system.Dataset') },
  outputs: { copy: artifactOutput('system.Dataset', { extension: '.csv' }) },
  run: async (ctx) => {
    const chunks: ByteChunks = ctx.inputs.data.open();
    await ctx.outputs.copy.write(chunks);
  },
});
const pipeline = definePipeline({
  name: 'digests',
  build: (p) => {
    const w = p.task(writer, {});
    p.task(reader, { inputs: { data: w.outputs.handle } });
  },
});

test('every output recorded with the digest and size of its bytes on disk, hashed while written or not', async () => {
  const runDir = join(tempDir(), 'run');
  const manifest = await runPipeline(compilePipeline(pipeline), new ComponentRegistry([writer, reader]), { runDir });
  assert.equal(manifest.state, 'succeeded');
  let checked = 0;
  for (const task of Object.values(manifest.tasks)) {
    for (const record of Object.values(task.outputs ?? {})) {
      const bytes = readFileSync(join(runDir, record.path));
      assert.equal(record.sha256, sha256(bytes), record.path);
      assert.equal(record.size, bytes.length, record.path);
      checked++;
    }
  }
  assert.equal(checked, 4);
  assert.equal(readFileSync(join(runDir, 'writer/edited.csv'), 'utf8'), 'a,b\n9,9\n');
});

test('run.json saves made during a write are coalesced; the last state is written; a failure is reported', async () => {
  const store = new LocalArtifactStore(tempDir());
  const manifest = { id: 'r', pipeline: 'p', parameters: {}, state: 'running', createdAt: 'now', tasks: {} } as unknown as RunManifest;
  const w = new ManifestWriter(store, manifest);
  for (let i = 0; i < 50; i++) {
    manifest.error = `step ${i}`;
    w.save();
  }
  await w.flush();
  assert.ok(w.writes <= 3, `${w.writes} writes for 50 saves`);
  assert.equal(JSON.parse((await store.get(MANIFEST_KEY)).toString()).error, 'step 49');

  const failing = { put: () => Promise.reject(new Error('disk full')) } as unknown as ArtifactStore;
  const f = new ManifestWriter(failing, manifest);
  f.save();
  f.save();
  await assert.rejects(f.flush(), /disk full/);
});
