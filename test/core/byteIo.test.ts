// core/fs/byteIo: openRegularFile and fileSource refuse anything but a regular file without blocking.
// A FIFO is the attack that matters: open(2) of a FIFO for reading waits for a writer unless O_NONBLOCK is
// given, so an artifact or data path swapped for one would hang a run forever. The FIFO here is a real one
// (mkfifo(1)); every read is raced against a timer so a regression fails the test instead of hanging the suite.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IoError, fileSource, openRegularFile, readAllBytes } from '../../src/core/index.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';

const dir = tempDir('sealed-byteio-');

/** `promise`, or a failure after `ms` (the timer is cleared either way so the test file can end). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still blocked after ${ms} ms (opened a FIFO waiting for a writer?)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', ['-m', '600', path]);
  return path;
}

const notAFile = (path: string) => (e: unknown) => e instanceof IoError && e.code === 'io.notAFile' && e.message.includes(path) && !e.message.includes('\n');

test('attack: a FIFO given to openRegularFile is refused at once (no wait for a writer)', async () => {
  const path = fifo('artifact.fifo');
  await within(2000, assert.rejects(openRegularFile(path), notAFile(path)));
});

test('attack: a FIFO in place of an artifact read through fileSource / readAllBytes is refused at once', async () => {
  const path = fifo('data.fifo');
  await within(2000, assert.rejects(readAllBytes(fileSource(path)), notAFile(path)));
});

test('attack: a character device (/dev/zero, endless) and a folder are refused', async () => {
  await within(2000, assert.rejects(openRegularFile('/dev/zero'), notAFile('/dev/zero')));
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  await assert.rejects(openRegularFile(folder), notAFile(folder));
});

test('a regular file reads whole and unchanged with the non-blocking open (several chunks)', async () => {
  const path = join(dir, 'big.bin');
  const bytes = Buffer.alloc(3 * (1 << 20) + 17);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  writeFileSync(path, bytes);
  const read = await within(10_000, readAllBytes(fileSource(path)));
  assert.ok(read.equals(bytes));
  const fh = await openRegularFile(path);
  try {
    const { bytesRead } = await fh.read(Buffer.alloc(10), 0, 10, 0);
    assert.equal(bytesRead, 10);
  } finally {
    await fh.close();
  }
});

test('a missing file is io.notFound naming it', async () => {
  const path = join(dir, 'missing.csv');
  await assert.rejects(openRegularFile(path), (e: unknown) => e instanceof IoError && e.code === 'io.notFound' && e.message.includes(path));
});
