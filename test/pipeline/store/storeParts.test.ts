// Pieces of the remote stores that need no server: key rules, folder listings read back from a
// bucket (untrusted), and how SDK errors become one-line messages without secrets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '../../../src/core/index.ts';
import { keyProblem } from '../../../src/pipeline/store/storeKey.ts';
import { encodeListing, folderDigest, parseListing } from '../../../src/pipeline/store/remoteFolders.ts';
import { reasonOf, requestFailed } from '../../../src/pipeline/store/storeErrors.ts';
import { VerifyingTap } from '../../../src/pipeline/store/streamHash.ts';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

test('key rules: relative POSIX paths within 1,024 bytes, nothing that reads or resolves differently', () => {
  for (const ok of ['a', 'task/out.csv', 'inputs/data.v2.csv', 'a/b/c/d', 'ünïcode/名前', '...', 'a..b/c']) assert.equal(keyProblem(ok), undefined, ok);
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['/abs', /absolute/],
    ['a/../b', /'\.\.' segment/],
    ['./a', /'\.' segment/],
    ['a//b', /empty path segment/],
    ['a/', /empty path segment/],
    ['a\\b', /'\\'/],
    ['a\u0000b', /control or bidi/],
    ['a\u202eb', /control or bidi/],
    ['a\u2028b', /control or bidi/],
    ['x/.sealed-folder-pending', /reserved for folder markers/],
    ['é'.repeat(513), /longer than 1024 bytes/],
  ];
  for (const [key, why] of cases) assert.match(keyProblem(key) ?? 'accepted', why, JSON.stringify(key));
});

test('folder listings round-trip and give the local store\'s folder digest', () => {
  const entries = [{ path: 'x', sha256: sha256('1'), size: 1 }, { path: 'sub/y', sha256: sha256('22'), size: 2 }];
  const parsed = parseListing(encodeListing(entries), 'az://c/t/out/.sealed-folder-listing.json');
  assert.deepEqual(parsed.map((e) => e.path), ['sub/y', 'x']);
  assert.equal(folderDigest(parsed), sha256(`sub/y\0${sha256('22')}\nx\0${sha256('1')}\n`));
});

test('attack: an edited folder listing is refused field by field', () => {
  const good = { path: 'x', sha256: sha256('1'), size: 1 };
  const cases: [unknown, RegExp][] = [
    ['not json', /not JSON/],
    [{ version: 2, files: [] }, /not a version 1 listing/],
    [{ version: 1, files: {} }, /'files' is not a list/],
    [{ version: 1, files: [{ ...good, path: '../../etc/cron.d/x' }] }, /file 0 has no valid path/],
    [{ version: 1, files: [{ ...good, path: '/etc/passwd' }] }, /file 0 has no valid path/],
    [{ version: 1, files: [good, good] }, /file 1 repeats a path/],
    [{ version: 1, files: [{ ...good, sha256: 'abc' }] }, /no valid sha256/],
    [{ version: 1, files: [{ ...good, size: -1 }] }, /no valid size/],
    [{ version: 1, files: [{ ...good, size: 1e300 }] }, /no valid size/],
    [{ version: 1, files: Array.from({ length: 100_001 }, (_v, i) => ({ ...good, path: `f${i}` })) }, /more than 100000 files/],
  ];
  for (const [doc, why] of cases) {
    const bytes = Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));
    assert.throws(() => parseListing(bytes, 's3://b/t/out/.sealed-folder-listing.json'), (e: Error) => {
      assert.match(e.message, /^folder listing s3:\/\/b\/t\/out\/\.sealed-folder-listing\.json is invalid: /);
      assert.match(e.message, why);
      return true;
    });
  }
});

test('attack: an SDK error quoting a secret or a signed URL becomes one line without it', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const sdkError = Object.assign(new Error(`Server failed to authenticate the request with key ${secret}\nRequestId:123\nTime:2024`), {
    name: 'RestError',
    code: 'AuthenticationFailed',
    statusCode: 403,
  });
  const e = requestFailed('Put Blob', 'az://c/k', sdkError, [secret]);
  assert.equal(e.message, 'Put Blob az://c/k failed: HTTP 403 AuthenticationFailed Server failed to authenticate the request with key ***');
  const signed = Object.assign(new Error('GET https://acct.blob.core.windows.net/c/k?sv=2024&sig=SIGNATURE123 failed'), { code: 'EPROTO' });
  assert.doesNotMatch(reasonOf(signed, []), /SIGNATURE123/);
  assert.equal(reasonOf(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), []), 'connection reset');
  const s3 = Object.assign(new Error('The AWS Access Key Id you provided does not exist in our records.'), { name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
  assert.equal(reasonOf(s3, []), 'HTTP 403 InvalidAccessKeyId The AWS Access Key Id you provided does not exist in our records.');
  assert.ok(reasonOf(new Error('x'.repeat(5000)), []).length <= 303);
});

test('attack: a file changed between hashing and uploading never sends its last bytes', async () => {
  // The server is promised Content-Length bytes; withholding the last chunk makes it store nothing.
  const hashed = Buffer.from('original contents, hashed before the upload');
  const sent: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, done) => (sent.push(c), done()) });
  const changed = [Buffer.from('original contents, '), Buffer.from('EDITED after hashing!!!!!!')];
  await assert.rejects(
    pipeline(Readable.from(changed), new VerifyingTap(sha256(hashed), hashed.length, () => new Error('changed during upload')), sink),
    /changed during upload/,
  );
  assert.equal(Buffer.concat(sent).toString(), 'original contents, ', 'the last chunk was held back');
  const ok: Buffer[] = [];
  await pipeline(Readable.from([hashed.subarray(0, 10), hashed.subarray(10)]), new VerifyingTap(sha256(hashed), hashed.length, () => new Error('x')), new Writable({ write: (c: Buffer, _e, done) => (ok.push(c), done()) }));
  assert.ok(Buffer.concat(ok).equals(hashed));
});
