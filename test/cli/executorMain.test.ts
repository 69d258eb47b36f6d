import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { executorMain } from '../../src/cli/executorMain.ts';
import { compilePipeline } from '../../src/pipeline/index.ts';
import { toyPipeline } from '../pipeline/fixtures/toyComponents.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { Capture, toyCatalog } from './helpers.ts';

async function run(argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await executorMain(argv, { catalog: toyCatalog, stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('the executor entry runs the args the compiler emits, with {{$}} substituted as KFP does', async () => {
  const dir = tempDir();
  const outputFile = join(dir, 'kfp', 'output_metadata.json');
  const executorInput = JSON.stringify({
    inputs: { parameterValues: { count: 2, start: 7 } },
    outputs: { artifacts: { numbers: { artifacts: [{ name: 'numbers', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: join(dir, 'n') }] } }, outputFile },
  });
  const args = compilePipeline(toyPipeline).deploymentSpec.executors['exec-make-numbers'].container!.args!.map((a) => (a === '{{$}}' ? executorInput : a));
  const r = await run(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(dir, 'n'), 'utf8'), '7\n8\n');
  assert.deepEqual(JSON.parse(readFileSync(outputFile, 'utf8')), JSON.parse(r.stdout));
});

test('the executor entry reports bad arguments as one-line usage errors', async () => {
  assert.deepEqual(await run(['--component', 'make-numbers']), { code: 2, stdout: '', stderr: "sealed: sealed-executor needs --executor-input '{{$}}'\n" });
  assert.equal((await run(['--component=nope', '--executor-input={}'])).stderr, "sealed: unknown component 'nope' (components: evaluate, fit-model, make-numbers, split-numbers)\n");
  assert.equal((await run(['--x'])).code, 2);
  assert.match((await run(['--component', 'make-numbers', '--executor-input', '{'])).stderr, /^sealed: invalid executor input for component 'make-numbers': not JSON/);
});
