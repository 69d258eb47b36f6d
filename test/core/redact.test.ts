import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorDetail, errorLine, HARMLESS_QUERY_PARAMS, printable, printableJson, redactParameters, redactText, redactUrl, redactValue } from '../../src/core/index.ts';

test('recorded values: URLs lose credentials, every query value but harmless ones, and the fragment; everything else is kept', () => {
  assert.equal(redactValue('s3://k:s@bucket/key?X-Amz-Signature=abc&part=1'), 's3://***@bucket/key?X-Amz-Signature=***&part=***');
  assert.equal(redactValue('data/credit.csv'), 'data/credit.csv');
  assert.equal(redactValue(' data/credit.csv '), ' data/credit.csv ', 'a path is kept exactly as given');
  assert.equal(redactValue('user:pass is not a URL'), 'user:pass is not a URL');
  assert.equal(redactValue(42), 42);
  assert.deepEqual(redactParameters({ data_url: 'https://u:p@h/x.csv', data_size: 10, split: 'random' }), { data_url: 'https://***@h/x.csv', data_size: 10, split: 'random' });
  assert.deepEqual(redactValue({ list: [' https://h/?jwt=J'], nested: { u: 'https://h/#t' } }), { list: ['https://h/?jwt=***'], nested: { u: 'https://h/#***' } });
});

test('URLs: any scheme with //, any parameter name, the fragment; unparseable ones too', () => {
  const cases: [string, string][] = [
    ['https://h/x?auth=1&private_token=2&jwt=3&access-token=4&X-Custom-Sig=5', 'https://h/x?auth=***&private_token=***&jwt=***&access-token=***&X-Custom-Sig=***'],
    ['https://h/x.csv?format=csv&page=3&limit=10&offset=20&alt=media&raw=true', 'https://h/x.csv?format=csv&page=3&limit=10&offset=20&alt=media&raw=true'],
    ['https://h/x?FORMAT=csv', 'https://h/x?FORMAT=csv'],
    ['https://h/x?format=' + 'z'.repeat(33), 'https://h/x?format=***'],
    ['https://h/x?format=a%20b', 'https://h/x?format=***'],
    ['https://h/x?bare-token', 'https://h/x?***'],
    ['https://h/x?' + 'n'.repeat(65) + '=v', 'https://h/x?***=***'],
    ['https://h/x#access_token=T&state=S', 'https://h/x#***'],
    ['https://h/x#', 'https://h/x#'],
    ['https://u:p@ss@h:99999/x', 'https://***@h:99999/x'],
    ['file://u:p@localhost/etc/x', 'file://***@localhost/etc/x'],
    ['gs://b/o?X-Goog-Signature=S', 'gs://b/o?X-Goog-Signature=***'],
    ['https://h\\@evil/x', 'https://h\\@evil/x'],
    ['  https://h/x?sig=S\n', 'https://h/x?sig=***'],
    ['h.example:8888', 'h.example:8888'],
  ];
  for (const [url, shown] of cases) assert.equal(redactUrl(url), shown, url);
  assert.equal(redactUrl(new URL('https://u:p@h/x?sig=S')), 'https://***@h/x?sig=***');
  for (const name of HARMLESS_QUERY_PARAMS) assert.match(name, /^[a-z]+$/);
});

test('text: URLs inside messages are redacted, the rest is kept', () => {
  assert.equal(
    redactText('TypeError: Request cannot be constructed from a URL that includes credentials: https://u:p@h/?sig=abc'),
    'TypeError: Request cannot be constructed from a URL that includes credentials: https://***@h/?sig=***',
  );
  // Closing punctuation after a URL stays visible; whitespace ends a URL.
  assert.equal(redactText("fetch failed: 'https://h/a?x=1' and http://u@g/b#frag."), "fetch failed: 'https://h/a?x=***' and http://***@g/b#***.");
  assert.equal(redactText('(see https://h/?k=v).\nnext https://h/?k=w'), '(see https://h/?k=***).\nnext https://h/?k=***');
  assert.equal(redactText('no url here: a/b?c=d'), 'no url here: a/b?c=d');
});

test('errors: one redacted line by default, the stack only on request', () => {
  const e = new Error('failed at https://u:p@h/?k=v\nsecond line', { cause: new Error('inner') });
  assert.equal(errorLine(e), 'failed at https://***@h/?k=*** second line');
  assert.equal(errorLine('plain'), 'plain');
  const detail = errorDetail(e);
  assert.match(detail, /^Error: failed at https:\/\/\*\*\*@h\/\?k=\*\*\*\nsecond line\n\s+at /);
  assert.match(detail, /caused by: Error: inner/);
  assert.ok(!detail.includes('u:p'));
});

test('terminal text: control, C1 and bidi characters escaped; JSON stays JSON', () => {
  assert.equal(printable('a\u001b[2Jb\nc\rd\u009be\u202ef\u2028'), 'a\\x1b[2Jb\\x0ac\\x0dd\\x9be\\u202ef\\u2028');
  const json = printableJson({ k: 'a\u009b\u202eb\n' });
  assert.equal(json, '{"k":"a\\u009b\\u202eb\\n"}');
  assert.deepEqual(JSON.parse(json), { k: 'a\u009b\u202eb\n' });
});
