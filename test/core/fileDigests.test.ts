// Digests recorded while files were written (src/core/fs/fileDigests.ts): handed out only while
// the file is exactly as recorded; every way of changing it makes the digest unknown.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, linkSync, renameSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { clearFileDigests, fileOfBytes, hashingChunks, knownFileDigest, markFileBytes, recordFileDigest, renameKeepingDigest } from '../../src/core/index.ts';
import { LocalArtifactStore } from '../../src/pipeline/store/index.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const dir = tempDir('sealed-filedigests-');
const text = 'a,b\n1,2\n3,4\n';
const digestOf = (s: string) => ({ sha256: createHash('sha256').update(s).digest('hex'), size: Buffer.byteLength(s) });
let n = 0;

async function recorded(content = text): Promise<string> {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  await recordFileDigest(path, digestOf(content));
  return path;
}

test('a recorded digest comes back while the file is unchanged', async () => {
  const path = await recorded();
  assert.deepEqual(await knownFileDigest(path), digestOf(text));
  assert.deepEqual(await knownFileDigest(path), digestOf(text), 'not consumed');
});

test('attack: edited in place with its size and times restored -> unknown (ctime moved)', async () => {
  const path = await recorded();
  const before = statSync(path);
  writeFileSync(path, text.replace('1', '9'));
  utimesSync(path, before.atime, before.mtime);
  assert.equal(statSync(path).size, before.size);
  assert.equal(await knownFileDigest(path), undefined);
});

test('attack: replaced by another file, swapped for a symlink, hard-linked, chmod -> unknown', async () => {
  const replaced = await recorded();
  writeFileSync(replaced + '.new', text);
  renameSync(replaced + '.new', replaced);
  assert.equal(await knownFileDigest(replaced), undefined);

  const linked = await recorded();
  unlinkSync(linked);
  writeFileSync(linked + '.target', text);
  symlinkSync(linked + '.target', linked);
  assert.equal(await knownFileDigest(linked), undefined);

  const hard = await recorded();
  linkSync(hard, hard + '.other-name');
  assert.equal(await knownFileDigest(hard), undefined, 'a second name could be written through');

  const moded = await recorded();
  chmodSync(moded, 0o600);
  assert.equal(await knownFileDigest(moded), undefined);
});

test('attack: a digest whose size is not the file size is not recorded', async () => {
  const path = join(dir, 'short.csv');
  writeFileSync(path, text);
  await recordFileDigest(path, digestOf(text + 'more'));
  assert.equal(await knownFileDigest(path), undefined);
});

test('renameKeepingDigest carries the digest to the new name, and not a changed file', async () => {
  const path = await recorded();
  const moved = path + '.moved';
  assert.deepEqual(await renameKeepingDigest(path, moved, () => rename(path, moved)), digestOf(text));
  assert.deepEqual(await knownFileDigest(moved), digestOf(text));

  const changed = await recorded();
  writeFileSync(changed, text.replace('1', '9'));
  assert.equal(await renameKeepingDigest(changed, changed + '.moved', () => rename(changed, changed + '.moved')), undefined);
  assert.equal(await knownFileDigest(changed + '.moved'), undefined);
});

test('attack: a staged file edited after it was written is hashed by the store, not taken from the record', async () => {
  const store = new LocalArtifactStore(tempDir('sealed-filedigests-store-'));
  const staging = await store.createStaging('t');
  const file = join(staging, 'out.csv');
  writeFileSync(file, text);
  await recordFileDigest(file, digestOf(text));
  const before = statSync(file);
  writeFileSync(file, text.replace('1', '9'));
  utimesSync(file, before.atime, before.mtime);
  const stored = await store.put('t/out.csv', { file });
  assert.equal(stored.sha256, digestOf(text.replace('1', '9')).sha256);

  const kept = join(staging, 'kept.csv');
  writeFileSync(kept, text);
  await recordFileDigest(kept, digestOf(text));
  assert.deepEqual(await store.put('t/kept.csv', { file: kept }), { key: 't/kept.csv', ...digestOf(text), kind: 'file' });
  assert.deepEqual(await store.stat('t/kept.csv'), { key: 't/kept.csv', ...digestOf(text), kind: 'file' });
});

test('hashingChunks hashes once, even when wrapped again, and refuses a second pass', async () => {
  const chunks = hashingChunks(['a,b\n', Buffer.from('1,2\n'), '3,4\n']);
  assert.equal(chunks.digest(), undefined, 'not before all chunks were consumed');
  const again = hashingChunks(chunks);
  assert.equal(again, chunks);
  const parts: Buffer[] = [];
  for await (const c of again) parts.push(Buffer.from(c as Uint8Array));
  assert.equal(Buffer.concat(parts).toString(), text);
  assert.deepEqual(chunks.digest(), digestOf(text));
  assert.throws(() => chunks[Symbol.asyncIterator]());
});

test('markFileBytes names the file a source reads verbatim', () => {
  const it = markFileBytes((async function* () {})(), '/x/y.csv');
  assert.equal(fileOfBytes(it), '/x/y.csv');
  assert.equal(fileOfBytes((async function* () {})()), undefined);
  assert.equal(fileOfBytes(undefined), undefined);
});

test('clearFileDigests forgets', async () => {
  const path = await recorded();
  clearFileDigests();
  assert.equal(await knownFileDigest(path), undefined);
});

test('attack: a file other users may write (group or other write bit) gets no recorded digest', async () => {
  // Another user could change it while it was written, after the bytes were hashed: its reader hashes it.
  for (const mode of [0o666, 0o620, 0o602]) {
    const path = join(dir, `shared${n++}.csv`);
    writeFileSync(path, text, { mode });
    chmodSync(path, mode); // the umask may have cleared bits at creation
    await recordFileDigest(path, digestOf(text));
    assert.equal(await knownFileDigest(path), undefined, mode.toString(8));
  }
  const own = join(dir, `own${n++}.csv`);
  writeFileSync(own, text, { mode: 0o644 });
  await recordFileDigest(own, digestOf(text));
  assert.deepEqual(await knownFileDigest(own), digestOf(text), 'owner-only writable files are recorded');
});
