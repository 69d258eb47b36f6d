// The memo of written values (src/data/memo): a value comes back only for the exact bytes
// written, and only once; anything done to the file after the write makes the reader parse.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashingChunks, markFileBytes, recordFileDigest, type ByteSource } from '../../../src/core/index.ts';
import { categoricalFromStrings, csvByteChunks, numericColumn, Table } from '../../../src/data/index.ts';
import { clearWrittenMemo, forgetWritten, MAX_AGE_MS, MAX_ENTRIES, recallWritten, writeRemembering, writtenMemoStats, type WrittenValue } from '../../../src/data/memo/index.ts';
import { tempDir } from '../tmpFiles.ts';

const table = new Table([numericColumn('a', [1.5, 2, NaN]), categoricalFromStrings('b', ['x', 'y', 'x'])]);
const value: WrittenValue = { kind: 'table', table, header: true };

async function written(name = 'd.csv'): Promise<string> {
  clearWrittenMemo();
  const path = join(tempDir(), name);
  await writeRemembering(path, csvByteChunks(table), value);
  return path;
}

test('the value comes back for the unchanged file, once', async () => {
  const path = await written();
  assert.equal(readFileSync(path, 'utf8'), 'a,b\n1.5,x\n2,y\n,x\n');
  assert.equal(await recallWritten(path), value);
  assert.equal(await recallWritten(path), undefined, 'handed to one reader only');
  assert.equal(writtenMemoStats().entries, 0);
});

test('the value follows its file through a rename (staged output moved into the run folder)', async () => {
  const path = await written();
  const moved = path.replace(/d\.csv$/, 'moved.csv');
  renameSync(path, moved);
  assert.equal(await recallWritten(moved), value);
});

test('attack: content edited with the same size and the same mtime restored -> not recalled', async () => {
  const path = await written();
  const st = statSync(path);
  writeFileSync(path, readFileSync(path, 'utf8').replace('1.5', '9.5'));
  utimesSync(path, st.atime, st.mtime);
  assert.equal(statSync(path).size, st.size);
  assert.ok(Math.abs(statSync(path).mtimeMs - st.mtimeMs) < 1, 'mtime restored (to the precision utimes takes)');
  assert.equal(await recallWritten(path), undefined);
});

test('attack: file truncated after the write -> not recalled', async () => {
  const path = await written();
  truncateSync(path, 5);
  assert.equal(await recallWritten(path), undefined);
});

test('attack: file replaced by another (new inode, same bytes or not) -> not recalled', async () => {
  const path = await written();
  const other = path + '.other';
  writeFileSync(other, readFileSync(path, 'utf8').replace('x', 'z'));
  renameSync(other, path);
  assert.equal(await recallWritten(path), undefined);
});

test('attack: path swapped for a symlink to other content -> not recalled', async () => {
  const path = await written();
  const other = path + '.target';
  writeFileSync(other, 'a,b\n1,q\n2,q\n3,q\n');
  unlinkSync(path);
  symlinkSync(other, path);
  assert.equal(await recallWritten(path), undefined);
});

test('attack: file deleted and its inode reused with other bytes -> not recalled', async () => {
  const path = await written();
  unlinkSync(path);
  writeFileSync(path, 'a,b\n7,x\n8,y\n9,x\n');
  assert.equal(await recallWritten(path), undefined);
});

test('attack: a source whose read fails (a sealing codec refusing the bytes) -> not recalled, reader parses and reports', async () => {
  const path = await written();
  const refusing: ByteSource = {
    label: path,
    open: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('seal check failed')) }),
    }),
  };
  assert.equal(await recallWritten(refusing), undefined);
});

test('a source yielding other bytes at the same file (decrypted content differs) -> not recalled', async () => {
  const path = await written();
  const other: ByteSource = { label: path, open: async function* () { yield Buffer.from('a,b\n1.5,x\n2,y\n,y\n'); } };
  assert.equal(await recallWritten(other), undefined);
});

test('a failed write remembers nothing', async () => {
  clearWrittenMemo();
  const path = join(tempDir(), 'f.csv');
  const failing = (function* () {
    yield 'a,b\n';
    throw new Error('disk full');
  })();
  await assert.rejects(writeRemembering(path, failing, value), /disk full/);
  assert.equal(writtenMemoStats().entries, 0);
});

test(`at most ${MAX_ENTRIES} values are held, oldest dropped first; forgetWritten frees one`, async () => {
  clearWrittenMemo();
  const dir = tempDir();
  const paths: string[] = [];
  for (let i = 0; i < MAX_ENTRIES + 2; i++) {
    paths.push(join(dir, `t${i}.csv`));
    await writeRemembering(paths[i], csvByteChunks(table), value);
  }
  assert.equal(writtenMemoStats().entries, MAX_ENTRIES);
  assert.equal(await recallWritten(paths[0]), undefined);
  assert.equal(await recallWritten(paths[1]), undefined);
  await forgetWritten(paths[2]);
  assert.equal(await recallWritten(paths[2]), undefined);
  assert.equal(await recallWritten(paths[MAX_ENTRIES + 1]), value);
});

test('a value nobody reads is dropped after MAX_AGE_MS (a long-running process keeps nothing)', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const path = await written();
    assert.equal(writtenMemoStats().entries, 1);
    mock.timers.tick(MAX_AGE_MS - 1);
    assert.equal(writtenMemoStats().entries, 1);
    mock.timers.tick(1);
    assert.equal(writtenMemoStats().entries, 0);
    assert.equal(writtenMemoStats().bytes, 0);
    assert.equal(await recallWritten(path), undefined);
  } finally {
    mock.timers.reset();
  }
});

// Hashed once (issue 17): the digest taken while writing stands for a second pass while the
// file is unchanged (core fileDigests); a source that is not the file read verbatim is read.
const unreadable = (label: string, mark: boolean): ByteSource => ({
  label,
  open: () => {
    const it: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('read')) }) };
    return mark ? markFileBytes(it, label) : it;
  },
});

test('an unchanged file is recalled without reading it again, through a path or a verbatim-file source', async () => {
  const path = await written();
  assert.equal(await recallWritten(unreadable(path, true)), value, 'the recorded digest of the unchanged file stands for the read');
  const again = await written();
  assert.equal(await recallWritten(unreadable(again, false)), undefined, 'an unmarked source (a codec) is read, and fails here');
});

test('attack: edited with its size and times restored, read through a verbatim-file source -> read, not recalled', async () => {
  const path = await written();
  const before = statSync(path);
  writeFileSync(path, 'a,b\n1.5,x\n2,y\n,y\n');
  utimesSync(path, before.atime, before.mtime);
  assert.equal(await recallWritten(unreadable(path, true)), undefined);
});

test('through an artifact sink that records the digest, the memo shares its one hash', async () => {
  clearWrittenMemo();
  const path = join(tempDir(), 'sink.csv');
  let consumed: unknown;
  const sink = {
    label: path,
    write: async (chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) => {
      const hashed = hashingChunks(chunks);
      consumed = hashed;
      assert.equal(hashed, chunks, 'the memo handed chunks that hash themselves: not hashed twice');
      const parts: Buffer[] = [];
      for await (const c of hashed) parts.push(Buffer.from(c as Uint8Array));
      writeFileSync(path, Buffer.concat(parts));
      await recordFileDigest(path, hashed.digest()!);
    },
  };
  await writeRemembering(sink, csvByteChunks(table), value);
  assert.ok(consumed);
  assert.equal(await recallWritten(unreadable(path, true)), value);
});
