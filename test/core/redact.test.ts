import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactParameters, redactValue } from '../../src/core/index.ts';

test('recorded values: URLs lose credentials and signed parameters, everything else is kept', () => {
  assert.equal(redactValue('s3://k:s@bucket/key?X-Amz-Signature=abc&part=1'), 's3://***@bucket/key?X-Amz-Signature=***&part=1');
  assert.equal(redactValue('data/credit.csv'), 'data/credit.csv');
  assert.equal(redactValue('user:pass is not a URL'), 'user:pass is not a URL');
  assert.equal(redactValue(42), 42);
  assert.deepEqual(redactParameters({ data_url: 'https://u:p@h/x.csv', data_size: 10, split: 'random' }), { data_url: 'https://***@h/x.csv', data_size: 10, split: 'random' });
});
