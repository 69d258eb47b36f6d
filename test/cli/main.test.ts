import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/core/index.ts';
import { runCli } from './helpers.ts';

test('help and version exit 0 on stdout; no command prints help and exits 2', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: sealed .*\n[\s\S]*run \[options\][\s\S]*component/);
  const version = await runCli(['--version']);
  assert.deepEqual([version.code, version.stdout], [0, '0.1.0\n']);
  const runHelp = await runCli(['run', '--help']);
  assert.match(runHelp.stdout, /--data-size <n>[\s\S]*--json/);
  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: sealed/);
});

test('errors print one line; exit code follows the error; stacks only with SEALED_DEBUG=1', async () => {
  const boom = async () => {
    throw new Error('boom\nsecond line');
  };
  const plain = await runCli(['run'], { catalog: boom });
  assert.deepEqual([plain.code, plain.stderr], [1, 'sealed: boom second line\n']);
  const debug = await runCli(['run'], { catalog: boom, env: { SEALED_DEBUG: '1' } });
  assert.match(debug.stderr, /^sealed: boom second line\nError: boom\nsecond line\n\s+at /);
  const typed = await runCli(['run'], { catalog: async () => { throw new DataError('io.empty', { path: 'x.csv' }); } });
  assert.deepEqual([typed.code, typed.stderr], [1, 'sealed: file is empty: x.csv\n']);
});

