// The behaviour every ArtifactStore shares, run against the local folder, s3rver and Azurite
// (one *.test.ts per store calls defineStoreSuite). Each test names the protocol page whose
// behaviour it relies on; remote-only tests say why the local store is left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../../src/core/index.ts';
import { folderDigest, type ArtifactStore, type RemoteArtifactStore } from '../../../src/pipeline/index.ts';
import { describeStore, type StoreKind } from './storeCases.ts';
import type { ProxiedRequest } from '../../helpers/storeServers.ts';

const MiB = 1024 * 1024;
const REMOTE_ONLY = (kind: StoreKind, why: string): string | false => (kind === 'local' ? `remote stores only: ${why}` : false);

/** Reads a whole stream. */
async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A file with `bytes` in a fresh staging folder of `store`. */
async function staged(store: ArtifactStore, name: string, bytes: Uint8Array | string): Promise<string> {
  const dir = await store.createStaging('staging');
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export function defineStoreSuite(kind: StoreKind): void {
  describeStore(kind, 'artifact store', (makeStore, tamper, ctx) => {
    /** The requests the server saw for `store` (its prefix is unique). */
    const seen = (store: ArtifactStore): ProxiedRequest[] => (ctx.proxy()?.requests ?? []).filter((r) => r.url.includes((store as RemoteArtifactStore).prefix));

    test('put bytes, get, read, stat and uriFor agree (PutObject / Put Blob)', async () => {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html, https://learn.microsoft.com/rest/api/storageservices/put-blob
      const store = await makeStore();
      const stored = await store.put('task/a.txt', { bytes: 'hello\n' });
      assert.deepEqual(stored, { key: 'task/a.txt', sha256: sha256('hello\n'), size: 6, kind: 'file' });
      assert.equal((await store.get('task/a.txt')).toString(), 'hello\n');
      assert.equal((await drain(await store.read('task/a.txt'))).toString(), 'hello\n');
      assert.deepEqual(await store.stat('task/a.txt'), stored);
      assert.deepEqual(await store.stat('task/a.txt', { verify: true }), stored);
      assert.equal(await store.stat('task/nothing'), undefined);
      const uri = store.uriFor('task/a.txt');
      if (kind === 'local') assert.equal(uri, join(store.location, 'task/a.txt'));
      else assert.equal(uri, `${store.location}/task/a.txt`);
      assert.match(store.location, kind === 's3' ? /^s3:\/\/sealed-test\/t/ : kind === 'azure' ? /^az:\/\/sealed-test\/t/ : /^\//);
    });

    test('get and read of a missing key fail with one line naming it', async () => {
      // GetObject NoSuchKey (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html), Get Blob 404 BlobNotFound (https://learn.microsoft.com/rest/api/storageservices/get-blob)
      const store = await makeStore();
      await assert.rejects(store.get('no/such.csv'), (e: Error) => /not found: .*no\/such\.csv$/.test(e.message) && !e.message.includes('\n'));
      await assert.rejects(store.read('no/such.csv'), /not found: .*no\/such\.csv$/);
      await assert.rejects(store.checkout('no/such.csv'), /not found: .*no\/such\.csv$/);
    });

    test('put of a file moves it into the store and reports its sha256 (streamed upload)', async () => {
      // PutObject with x-amz-meta-sha256 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html);
      // Put Block + Put Block List with x-ms-meta-sha256 (https://learn.microsoft.com/rest/api/storageservices/put-block-list)
      const store = await makeStore();
      const bytes = randomBytes(300_000);
      const path = await staged(store, 'b.bin', bytes);
      const stored = await store.put('task/b.bin', { file: path });
      assert.deepEqual(stored, { key: 'task/b.bin', sha256: sha256(bytes), size: bytes.length, kind: 'file' });
      assert.equal(existsSync(path), false, 'moved, not copied');
      assert.ok((await store.get('task/b.bin')).equals(bytes));
    });

    test('empty files and empty folders are stored and reported alike on every store', async () => {
      // An empty Put Block List commits an empty blob (https://learn.microsoft.com/rest/api/storageservices/put-block-list); a 0-byte PutObject.
      const store = await makeStore();
      assert.deepEqual(await store.put('e/bytes', { bytes: '' }), { key: 'e/bytes', sha256: sha256(''), size: 0, kind: 'file' });
      assert.deepEqual(await store.put('e/file', { file: await staged(store, 'empty', '') }), { key: 'e/file', sha256: sha256(''), size: 0, kind: 'file' });
      const dir = join(await store.createStaging('e'), 'folder');
      mkdirSync(dir);
      assert.deepEqual(await store.put('e/folder', { file: dir }), { key: 'e/folder', sha256: sha256(''), size: 0, kind: 'directory' });
      assert.deepEqual(await store.stat('e/folder', { verify: true }), { key: 'e/folder', sha256: sha256(''), size: 0, kind: 'directory' });
      assert.equal((await store.get('e/file')).length, 0);
    });

    test('a folder is stored whole: stat, list and checkout see its files, never its markers', async () => {
      // Object stores have no folders: files + markers (src/pipeline/store/remoteFolders.ts).
      const store = await makeStore();
      const dir = join(await store.createStaging('t'), 'out');
      mkdirSync(join(dir, 'sub'), { recursive: true });
      writeFileSync(join(dir, 'x'), '1');
      writeFileSync(join(dir, 'sub', 'y'), '22');
      const stored = await store.put('t/out', { file: dir });
      const digest = folderDigest([{ path: 'sub/y', sha256: sha256('22'), size: 2 }, { path: 'x', sha256: sha256('1'), size: 1 }]);
      assert.equal(digest, sha256(`sub/y\0${sha256('22')}\nx\0${sha256('1')}\n`), 'the local store digest');
      assert.deepEqual(stored, { key: 't/out', sha256: digest, size: 3, kind: 'directory' });
      assert.deepEqual(await store.stat('t/out'), stored);
      assert.deepEqual(await store.stat('t/out', { verify: true }), stored);
      assert.deepEqual(await store.list('t'), ['t/out/sub/y', 't/out/x']);
      await assert.rejects(store.get('t/out'), /t\/out/);
      const out = await store.checkout('t/out');
      assert.equal(readFileSync(join(out.path, 'sub', 'y'), 'utf8'), '22');
      assert.equal(readFileSync(join(out.path, 'x'), 'utf8'), '1');
      await out.release();
    });

    test('list takes a key prefix, with or without a trailing slash, and keeps sibling names apart', async () => {
      // ListObjectsV2 Prefix (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), List Blobs prefix (https://learn.microsoft.com/rest/api/storageservices/list-blobs)
      const store = await makeStore();
      for (const k of ['task/b', 'task/a', 'task2/c', 'other/d']) await store.put(k, { bytes: k });
      assert.deepEqual(await store.list(), ['other/d', 'task/a', 'task/b', 'task2/c']);
      assert.deepEqual(await store.list('task'), ['task/a', 'task/b']);
      assert.deepEqual(await store.list('task/'), ['task/a', 'task/b']);
      assert.deepEqual(await store.list('task/a'), ['task/a']);
      assert.deepEqual(await store.list('nothing'), []);
    });

    test('list follows pagination to the last page (ListObjectsV2 continuation tokens / List Blobs markers)', { skip: REMOTE_ONLY(kind, 'one readdir') }, async () => {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html (IsTruncated, NextContinuationToken)
      // https://learn.microsoft.com/rest/api/storageservices/list-blobs (NextMarker)
      const store = await makeStore({ listPageSize: 3 });
      const keys = Array.from({ length: 10 }, (_v, i) => `p/k${String(i).padStart(2, '0')}`);
      for (const k of keys) await store.put(k, { bytes: k });
      assert.deepEqual(await store.list('p'), keys);
      const pages = seen(store).filter((r) => r.method === 'GET' && (kind === 's3' ? r.url.includes('list-type=2') : r.url.includes('comp=list')));
      const continued = pages.filter((r) => (kind === 's3' ? r.url.includes('continuation-token=') : r.url.includes('marker=')));
      assert.ok(pages.length >= 4, `${pages.length} list pages`);
      assert.ok(continued.length >= 3, `${continued.length} continued pages`);
    });

    test('append creates a log and adds to it', async () => {
      // Read, then a conditional write: If-Match / If-None-Match on PutObject (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html)
      // and Put Blob (https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations)
      const store = await makeStore();
      await store.append('task/log.txt', 'one\n');
      await store.append('task/log.txt', 'two\n');
      assert.equal((await store.get('task/log.txt')).toString(), 'one\ntwo\n');
      const st = await store.stat('task/log.txt');
      assert.equal(st?.sha256, sha256('one\ntwo\n'));
    });

    test('append refuses to grow a remote log past its limit, with a clear error, and keeps the log', { skip: REMOTE_ONLY(kind, 'a local log is appended in place') }, async () => {
      // Block blobs and S3 objects cannot be appended to; each append rewrites the object, so its size is capped.
      const store = await makeStore({ maxAppendBytes: 1000 });
      await store.append('task/log.txt', 'x'.repeat(900));
      await assert.rejects(store.append('task/log.txt', 'y'.repeat(200)), /log\.txt is larger than 1000 bytes, the limit for a log in an object store/);
      assert.equal((await store.get('task/log.txt')).length, 900);
    });

    test('get refuses a remote object past maxGetBytes; read streams it', { skip: REMOTE_ONLY(kind, 'no limit on the local store') }, async () => {
      // Content-Length of GetObject / Get Blob checked first, then the bytes as they come.
      const store = await makeStore({ maxGetBytes: 100 });
      await store.put('big', { bytes: Buffer.alloc(101, 1) });
      await assert.rejects(store.get('big'), /big is larger than 100 bytes, the limit for get\(\)/);
      assert.equal((await drain(await store.read('big'))).length, 101);
    });

    test('checkout gives a readable local copy; release removes a remote copy and nothing else', async () => {
      // GetObject / Get Blob streamed to a 0600 file in a 0700 folder.
      const store = await makeStore();
      await store.put('task/model.json', { bytes: '{"w":1}' });
      const out = await store.checkout('task/model.json');
      assert.equal(readFileSync(out.path, 'utf8'), '{"w":1}');
      if (kind === 'local') {
        assert.equal(out.path, store.uriFor('task/model.json'), 'the stored file itself');
        await out.release();
        assert.equal(existsSync(out.path), true);
      } else {
        const scratch = join(out.path, '..');
        assert.ok(out.path.startsWith(ctx.scratchDir()), out.path);
        assert.equal(statSync(scratch).mode & 0o777, 0o700, 'private scratch folder');
        assert.equal(statSync(out.path).mode & 0o777, 0o600);
        await out.release();
        assert.equal(existsSync(scratch), false);
      }
      assert.equal((await store.get('task/model.json')).toString(), '{"w":1}');
    });

    test('attack: bytes swapped in the bucket under the old sha256 metadata are caught by stat({verify}) and checkout', { skip: REMOTE_ONLY(kind, 'the local store always hashes the bytes') }, async () => {
      // User metadata is whatever the last writer sent (x-amz-meta-*, x-ms-meta-*): a hint, not proof.
      const store = await makeStore();
      const stored = await store.put('task/model.bin', { bytes: 'genuine model' });
      await tamper.overwrite(store, 'task/model.bin', Buffer.from('doctored model'));
      assert.equal((await store.stat('task/model.bin'))?.sha256, stored.sha256, 'without verify: the recorded digest');
      assert.equal((await store.stat('task/model.bin', { verify: true }))?.sha256, sha256('doctored model'));
      await assert.rejects(store.checkout('task/model.bin'), /task\/model\.bin was changed in the store/);
      assert.deepEqual(await tamper.list(store).then((l) => l.filter((n) => n.startsWith('task/'))), ['task/model.bin']);
    });

    test('attack: a folder listing edited to point outside the checkout folder is refused', { skip: REMOTE_ONLY(kind, 'no listing object') }, async () => {
      const store = await makeStore();
      const dir = join(await store.createStaging('t'), 'out');
      mkdirSync(dir);
      writeFileSync(join(dir, 'x'), '1');
      await store.put('t/out', { file: dir });
      const evil = JSON.stringify({ version: 1, files: [{ path: '../../escaped', sha256: sha256('1'), size: 1 }] });
      await tamper.overwrite(store, 't/out/.sealed-folder-listing.json', Buffer.from(evil));
      await assert.rejects(store.checkout('t/out'), /folder listing .*is invalid: file 0 has no valid path/);
      assert.equal(existsSync(join(ctx.scratchDir(), 'escaped')), false);
    });

    test('delete removes a file, a whole folder with its markers, and ignores a missing key', async () => {
      // DeleteObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html), Delete Blob (https://learn.microsoft.com/rest/api/storageservices/delete-blob)
      const store = await makeStore();
      await store.put('t/file', { bytes: 'f' });
      const dir = join(await store.createStaging('t'), 'out');
      mkdirSync(dir);
      writeFileSync(join(dir, 'x'), '1');
      await store.put('t/out', { file: dir });
      await store.delete('t/file');
      await store.delete('t/out');
      await store.delete('t/never-there');
      assert.equal(await store.stat('t/file'), undefined);
      assert.equal(await store.stat('t/out'), undefined);
      assert.deepEqual(await store.list('t'), []);
      assert.deepEqual((await tamper.list(store)).filter((n) => n.startsWith('t/')), []);
    });

    test('overwrite replaces the object whole: a file with a file, a folder with a file and back', async () => {
      // PutObject and Put Blob replace an existing object (pages above); folders follow remoteFolders.ts.
      const store = await makeStore();
      await store.put('k', { bytes: 'v1' });
      await store.put('k', { bytes: 'version 2' });
      assert.equal((await store.get('k')).toString(), 'version 2');
      const dir = join(await store.createStaging('t'), 'k');
      mkdirSync(dir);
      writeFileSync(join(dir, 'inner'), 'i');
      assert.equal((await store.put('k', { file: dir })).kind, 'directory');
      assert.equal((await store.stat('k'))?.kind, 'directory');
      assert.deepEqual(await store.list(), ['k/inner']);
      await store.put('k', { bytes: 'file again' });
      assert.equal((await store.stat('k'))?.kind, 'file');
      assert.deepEqual(await store.list(), ['k']);
    });

    test('attack: keys with .., absolute paths, control characters, empty segments or marker names are refused by every operation', async () => {
      // Object key / blob name rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html (1,024 bytes),
      // https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
      const store = await makeStore();
      const bad = ['../x', 'a/../../b', '/etc/passwd', '', 'a//b', 'a/', './a', 'a\\..\\b', 'log\n[ok] forged line', 'x\x1b[2Jy', 'bidi\u202eevil', 'f/.sealed-folder-listing.json', 'x'.repeat(1100)];
      for (const key of bad) {
        const ops: [string, () => Promise<unknown>][] = [
          ['put', () => store.put(key, { bytes: 'x' })],
          ['get', () => store.get(key)],
          ['stat', () => store.stat(key)],
          ['read', () => store.read(key)],
          ['checkout', () => store.checkout(key)],
          ['delete', () => store.delete(key)],
          ['append', () => store.append(key, 'x')],
          ['createStaging', () => store.createStaging(key)],
        ];
        for (const [op, run] of ops) {
          await assert.rejects(run(), (e: Error) => {
            assert.match(e.message, /^invalid artifact key '/, `${op} ${JSON.stringify(key)}`);
            assert.ok(!/[\n\u202e]/.test(e.message) && !e.message.includes('\x1b'), 'the key is shown escaped');
            assert.ok(e.message.length < 400, 'a long key is cut');
            return true;
          });
        }
      }
      assert.throws(() => store.uriFor('../x'), /invalid artifact key/);
      await assert.rejects(store.list('../'), /invalid artifact key/);
      assert.deepEqual(await tamper.list(store), []);
    });

    test('a large file goes up in parts: CreateMultipartUpload + UploadPart + CompleteMultipartUpload / Put Block + Put Block List', { skip: REMOTE_ONLY(kind, 'a rename') }, async () => {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html, .../API_UploadPart.html, .../API_CompleteMultipartUpload.html
      // https://learn.microsoft.com/rest/api/storageservices/put-block, https://learn.microsoft.com/rest/api/storageservices/put-block-list
      const store = await makeStore();
      const bytes = randomBytes(20 * MiB);
      const stored = await store.put('task/big.bin', { file: await staged(store, 'big.bin', bytes) });
      assert.equal(stored.sha256, sha256(bytes));
      const reqs = seen(store).filter((r) => r.url.includes('big.bin'));
      if (kind === 's3') {
        assert.equal(reqs.filter((r) => r.method === 'POST' && /[?&]uploads(=|&|$)/.test(r.url)).length, 1, 'CreateMultipartUpload');
        const parts = reqs.filter((r) => r.method === 'PUT' && r.url.includes('partNumber=') && r.url.includes('uploadId='));
        assert.equal(parts.length, 3, '20 MiB in 8 MiB parts');
        assert.ok(parts.every((p) => p.bodyBytes <= 8 * MiB));
        assert.equal(reqs.filter((r) => r.method === 'POST' && r.url.includes('uploadId=')).length, 1, 'CompleteMultipartUpload');
        assert.equal(reqs.filter((r) => r.method === 'PUT' && !r.url.includes('uploadId=')).length, 0, 'no single PutObject of the whole file');
      } else {
        const blocks = reqs.filter((r) => r.method === 'PUT' && r.url.includes('comp=block&'));
        assert.equal(blocks.length, 3, '20 MiB in 8 MiB blocks');
        assert.ok(blocks.every((p) => p.bodyBytes <= 8 * MiB));
        assert.equal(reqs.filter((r) => r.method === 'PUT' && r.url.includes('comp=blocklist')).length, 1, 'Put Block List');
      }
      assert.equal((await store.stat('task/big.bin', { verify: true }))?.sha256, sha256(bytes));
      const out = await store.checkout('task/big.bin');
      assert.equal(sha256(readFileSync(out.path)), sha256(bytes));
      await out.release();
    });

    test('readers during an overwrite see the old object or the new one, never a mix', { skip: kind === 's3' ? 's3rver writes a PUT body into the object file in place (lib/stores/filesystem.js putObject); S3 itself applies a PUT atomically' : false }, async () => {
      // Put Block List commits all blocks at once (https://learn.microsoft.com/rest/api/storageservices/put-block-list); a rename on the local disk.
      const store = await makeStore();
      const v1 = Buffer.alloc(3 * MiB, 1);
      const v2 = Buffer.alloc(3 * MiB, 2);
      await store.put('task/model.bin', { bytes: v1 });
      let writing = true;
      const writer = store.put('task/model.bin', { file: await staged(store, 'model.bin', v2) }).finally(() => (writing = false));
      const seenVersions = new Set<string>();
      do {
        const got = await store.get('task/model.bin');
        assert.ok(got.equals(v1) || got.equals(v2), `a read of ${got.length} bytes is neither version`);
        seenVersions.add(got.equals(v1) ? 'v1' : 'v2');
      } while (writing);
      await writer;
      assert.ok((await store.get('task/model.bin')).equals(v2));
      assert.ok(seenVersions.size >= 1);
    });

    test('attack: the connection dies mid-upload: nothing becomes visible, and putting it again works', { skip: REMOTE_ONLY(kind, 'no network') }, async () => {
      // S3: a PutObject cut short stores nothing; a failed part sends AbortMultipartUpload
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html).
      // Azure: blocks never listed in Put Block List stay uncommitted and invisible
      // (https://learn.microsoft.com/rest/api/storageservices/put-block-list).
      const store = await makeStore();
      const proxy = ctx.proxy()!;
      for (const [name, size] of [['small.bin', 2 * MiB], ['large.bin', 20 * MiB]] as const) {
        const bytes = randomBytes(size);
        const path = await staged(store, name, bytes);
        proxy.cutUploads({ afterBytes: MiB, match: (r) => r.url.includes(name) && r.method === 'PUT' && Number(r.headers['content-length']) > MiB });
        try {
          await assert.rejects(store.put(`task/${name}`, { file: path }), (e: Error) => {
            assert.match(e.message, new RegExp(`task/${name.replace('.', '\\.')} failed: `));
            assert.doesNotMatch(e.message, /\n/);
            return true;
          });
        } finally {
          proxy.heal();
        }
        assert.ok(seen(store).some((r) => r.cut && r.url.includes(name)), 'the proxy did cut the upload');
        assert.equal(await store.stat(`task/${name}`), undefined);
        assert.ok(!(await store.list('task')).includes(`task/${name}`));
        await assert.rejects(store.read(`task/${name}`), /not found/);
        assert.deepEqual((await tamper.list(store)).filter((n) => n.includes(name)), [], 'no object under the name, partial or not');
        assert.equal(existsSync(path), true, 'the staged file is kept for a retry');
        if (kind === 's3' && size > 8 * MiB) {
          assert.ok(seen(store).some((r) => r.method === 'DELETE' && r.url.includes(name) && r.url.includes('uploadId=')), 'AbortMultipartUpload sent');
        }
        assert.equal((await store.put(`task/${name}`, { file: path })).sha256, sha256(bytes));
        assert.equal((await store.stat(`task/${name}`, { verify: true }))?.sha256, sha256(bytes));
      }
    });

    test('attack: an overwrite that dies mid-upload leaves the old object whole', { skip: REMOTE_ONLY(kind, 'no network') }, async () => {
      // Multipart-sized (S3: CompleteMultipartUpload is never sent; Azure: Put Block List is never sent).
      // A PutObject cut short would do as well on S3 itself; s3rver writes a PUT body in place
      // (lib/stores/filesystem.js putObject), so it cannot show that.
      const store = await makeStore({ partSize: 5 * MiB, blockSize: 4 * MiB });
      const old = randomBytes(6 * MiB);
      await store.put('task/model.bin', { bytes: old });
      const proxy = ctx.proxy()!;
      proxy.cutUploads({ afterBytes: MiB, match: (r) => r.url.includes('model.bin') && r.method === 'PUT' && Number(r.headers['content-length']) > MiB });
      try {
        await assert.rejects(store.put('task/model.bin', { file: await staged(store, 'model.bin', randomBytes(6 * MiB)) }));
      } finally {
        proxy.heal();
      }
      assert.ok((await store.get('task/model.bin')).equals(old));
      assert.equal((await store.stat('task/model.bin', { verify: true }))?.sha256, sha256(old));
    });

    test('attack: a folder upload that dies part-way shows no folder and no files; putting it again works', { skip: REMOTE_ONLY(kind, 'a rename') }, async () => {
      // Each file is its own PutObject / Put Block List; the folder's atomicity is the marker protocol's (remoteFolders.ts).
      const store = await makeStore();
      const dir = join(await store.createStaging('t'), 'out');
      mkdirSync(dir);
      writeFileSync(join(dir, 'a.bin'), randomBytes(1000));
      writeFileSync(join(dir, 'b.bin'), randomBytes(2 * MiB));
      const proxy = ctx.proxy()!;
      proxy.cutUploads({ afterBytes: MiB, match: (r) => r.url.includes('b.bin') && r.method === 'PUT' });
      try {
        await assert.rejects(store.put('t/out', { file: dir }), /t\/out\/b\.bin failed/);
      } finally {
        proxy.heal();
      }
      assert.equal(await store.stat('t/out'), undefined);
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await tamper.list(store), [], 'uploaded files and markers removed');
      const again = await store.put('t/out', { file: dir });
      assert.equal(again.kind, 'directory');
      assert.deepEqual(await store.list(), ['t/out/a.bin', 't/out/b.bin']);
    });

    test('a folder being written is hidden until its listing is in place (pending marker)', { skip: REMOTE_ONLY(kind, 'a rename') }, async () => {
      // remoteFolders.ts: the pending marker is written first and deleted last.
      const store = await makeStore();
      const dir = join(await store.createStaging('t'), 'out');
      mkdirSync(dir);
      writeFileSync(join(dir, 'x'), '1');
      await store.put('t/out', { file: dir });
      // A writer that stopped after its first step (or crashed): the pending marker alone hides the folder.
      await tamper.overwrite(store, 't/out/.sealed-folder-pending', Buffer.from('{"writing":true}\n'));
      assert.equal(await store.stat('t/out'), undefined);
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(await store.list('t/out'), []);
      await assert.rejects(store.checkout('t/out'), /not found/);
      await tamper.remove(store, 't/out/.sealed-folder-pending');
      assert.deepEqual(await store.list('t/out'), ['t/out/x']);
    });

    test('attack: a symbolic link in an output folder is refused, not followed into the bucket', { skip: REMOTE_ONLY(kind, 'the local store moves the folder as it is') }, async () => {
      // A component that links /etc/passwd into its output must not get it uploaded.
      const store = await makeStore();
      const dir = join(await store.createStaging('t'), 'out');
      mkdirSync(dir);
      symlinkSync('/etc/passwd', join(dir, 'passwd'));
      await assert.rejects(store.put('t/out', { file: dir }), /passwd is a symbolic link; only regular files/);
      assert.deepEqual(await tamper.list(store), []);
    });

    test('attack: foreign objects with names no key may have are left out of list()', { skip: REMOTE_ONLY(kind, 'list of a folder') }, async () => {
      // Object names may hold any UTF-8 (object-keys page above); a key shown to a user may not.
      const store = await makeStore();
      await store.put('t/ok', { bytes: 'ok' });
      await tamper.overwrite(store, 't/evil\u202egnp.exe', Buffer.from('x'));
      // Azurite answers List Blobs with HTTP 500 once a name holds a C0 control character (XML 1.0
      // cannot carry it; the real service sends such names percent-encoded, Encoded="true").
      if (kind === 's3') await tamper.overwrite(store, 't/evil\x1b[2Jname', Buffer.from('x'));
      assert.deepEqual(await store.list('t'), ['t/ok']);
    });

    test('staging folders are private and local; only the store\'s own can be discarded', async () => {
      // No protocol: staging is on local disk; discarding anything else would be an rm -rf of a caller's path.
      const store = await makeStore();
      const dir = await store.createStaging('task');
      if (kind !== 'local') {
        assert.ok(dir.startsWith(ctx.scratchDir()));
        assert.equal(statSync(dir).mode & 0o777, 0o700);
        await assert.rejects(store.discardStaging(ctx.scratchDir()), /is not a staging folder of this store/);
        assert.equal(existsSync(ctx.scratchDir()), true);
      }
      await store.discardStaging(dir);
      assert.equal(existsSync(dir), false);
    });

    test('requests carry the credentials from the environment, and no message or request shows the secret', { skip: REMOTE_ONLY(kind, 'no credentials') }, async () => {
      // SigV4 Authorization header (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-auth-using-authorization-header.html);
      // Shared Key (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key)
      const env = ctx.env();
      const secret = kind === 's3' ? env.AWS_SECRET_ACCESS_KEY! : /AccountKey=([^;]+)/.exec(env.AZURE_STORAGE_CONNECTION_STRING!)![1];
      const store = await makeStore();
      await store.put('k', { bytes: 'v' });
      const reqs = seen(store);
      assert.ok(reqs.length > 0);
      for (const r of reqs) {
        const auth = String(r.headers.authorization ?? '');
        if (kind === 's3') assert.match(auth, new RegExp(`^AWS4-HMAC-SHA256 Credential=${env.AWS_ACCESS_KEY_ID}/`), 'SigV4 with the env access key id');
        else assert.match(auth, /^SharedKey devstoreaccount1:/, 'Shared Key of the env account');
        assert.ok(!JSON.stringify(r).includes(secret), 'the secret itself is never sent');
      }
      assert.ok(!store.location.includes(secret) && !store.uriFor('k').includes(secret));
    });

    test('a bucket or container that does not exist is reported as such, not as a missing object', { skip: REMOTE_ONLY(kind, 'a folder is created on demand') }, async () => {
      // NoSuchBucket (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), ContainerNotFound (https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes)
      const base = ctx.url('p');
      const { parseStoreUrl } = await import('../../../src/pipeline/index.ts');
      const store = parseStoreUrl(base.text.replace('sealed-test', 'no-such-bucket'), ctx.env(), { ...base.options, maxAttempts: 1 });
      await assert.rejects(store.put('k', { bytes: 'v' }), kind === 's3' ? /s3:\/\/no-such-bucket\/p\/k failed: HTTP 404 NoSuchBucket/ : /az:\/\/no-such-bucket\/p\/k failed: HTTP 404 ContainerNotFound/);
      await assert.rejects(store.get('k'), kind === 's3' ? /HTTP 404 NoSuchBucket/ : /HTTP 404 ContainerNotFound/);
    });

    test('wrong credentials fail with one line that names the object and holds no secret', { skip: REMOTE_ONLY(kind, 'no credentials') }, async () => {
      // s3rver checks the SigV4 access key id (not the signature); Azurite checks the Shared Key signature.
      const base = ctx.url('wrong-credentials');
      const wrongSecret = 'c2VjcmV0LXNob3VsZC1uZXZlci1hcHBlYXI=';
      const env = kind === 's3'
        ? { AWS_ACCESS_KEY_ID: 'NOT-A-KEY-ID', AWS_SECRET_ACCESS_KEY: wrongSecret }
        : { AZURE_STORAGE_CONNECTION_STRING: ctx.env().AZURE_STORAGE_CONNECTION_STRING!.replace(/AccountKey=[^;]+/, `AccountKey=${wrongSecret}`) };
      const { parseStoreUrl } = await import('../../../src/pipeline/index.ts');
      const store = parseStoreUrl(base.text, env, { ...base.options, maxAttempts: 1 });
      await assert.rejects(store.put('k', { bytes: 'v' }), (e: Error) => {
        assert.match(e.message, kind === 's3' ? /s3:\/\/sealed-test\/wrong-credentials\/k failed: HTTP 403 InvalidAccessKeyId/ : /az:\/\/sealed-test\/wrong-credentials\/k failed: HTTP 403 AuthorizationFailure|AuthenticationFailed/);
        assert.doesNotMatch(e.message, /\n/);
        assert.ok(!e.message.includes(wrongSecret));
        return true;
      });
    });
  });
}
