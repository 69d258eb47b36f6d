import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/core/index.ts';
import { LocalArtifactStore } from '../../src/pipeline/index.ts';
import { listTree, tempDir } from './helpers/tempDir.ts';

test('LocalArtifactStore puts bytes and files atomically and reports sha256', async () => {
  const root = tempDir();
  const store = new LocalArtifactStore(root);
  const a = await store.put('task/a.txt', { bytes: 'hello\n' });
  assert.deepEqual(a, { key: 'task/a.txt', sha256: sha256('hello\n'), size: 6, kind: 'file' });
  assert.equal((await store.get('task/a.txt')).toString(), 'hello\n');

  const staging = await store.createStaging('task');
  writeFileSync(join(staging, 'b.csv'), 'x,y\n');
  const b = await store.put('task/b.csv', { file: join(staging, 'b.csv') });
  assert.equal(b.sha256, sha256('x,y\n'));
  assert.equal(existsSync(join(staging, 'b.csv')), false, 'moved, not copied');
  await store.discardStaging(staging);
  assert.deepEqual(listTree(root), ['task/', 'task/a.txt', 'task/b.csv']);
  assert.deepEqual(await store.list(), ['task/a.txt', 'task/b.csv']);
  assert.deepEqual(await store.list('task/'), ['task/a.txt', 'task/b.csv']);
  assert.equal(await store.stat('nope'), undefined);
  assert.equal(store.uriFor('task/a.txt'), join(root, 'task/a.txt'));
});

test('LocalArtifactStore hashes a folder from its file listing and contents', async () => {
  const root = tempDir();
  const store = new LocalArtifactStore(root);
  const folder = join(root, 'staged');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'x'), '1');
  writeFileSync(join(folder, 'sub', 'y'), '22');
  const s = await store.put('t/out', { file: folder });
  const expected = sha256(`sub/y\0${sha256('22')}\nx\0${sha256('1')}\n`);
  assert.deepEqual(s, { key: 't/out', sha256: expected, size: 3, kind: 'directory' });
  assert.equal(readFileSync(join(root, 't/out/sub/y'), 'utf8'), '22');
});

test('LocalArtifactStore refuses keys that escape its root', async () => {
  const store = new LocalArtifactStore(tempDir());
  for (const key of ['../x', '/etc/passwd', 'a/../../b', '']) {
    await assert.rejects(store.put(key, { bytes: 'x' }), /invalid artifact key/);
  }
});
