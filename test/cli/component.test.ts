import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listTree, tempDir } from '../pipeline/helpers/tempDir.ts';
import { runCli } from './helpers.ts';

test('sealed component runs one component with inputs, outputs and parameters named by key', async () => {
  const cwd = tempDir();
  const make = await runCli(['component', 'make-numbers', '--count=4', '--start', '10', '--numbers=out/n.csv'], { cwd });
  assert.equal(make.code, 0, make.stderr);
  assert.equal(readFileSync(join(cwd, 'out/n.csv'), 'utf8'), '10\n11\n12\n13\n');
  assert.match(make.stderr, /\[make-numbers\] made 4 numbers\nwrote out\/n.csv\n$/);

  const split = await runCli(['component', 'split-numbers', '--data=out/n.csv', '--train=tr.csv', '--test=te.csv', '--test_fraction=0.5'], { cwd });
  assert.equal(split.code, 0, split.stderr);
  assert.equal(readFileSync(join(cwd, 'te.csv'), 'utf8'), '10\n11\n');

  writeFileSync(join(cwd, 'model.json'), JSON.stringify({ weight: 4 }));
  const evalr = await runCli(['component', 'evaluate', '--model=model.json', '--test=te.csv', '--metrics=m.json', '--report=r.md'], { cwd });
  assert.equal(evalr.code, 0, evalr.stderr);
  const out = JSON.parse(evalr.stdout);
  assert.deepEqual(out.artifacts.metrics.artifacts[0].metadata, { score: 21 / 4, count: 2 });
  assert.deepEqual(listTree(cwd), ['m.json', 'model.json', 'out/', 'out/n.csv', 'r.md', 'te.csv', 'tr.csv']);
});

test('a failing component leaves no output and no temporary file', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'train.csv'), '1\n2\n');
  const r = await runCli(['component', 'fit-model', '--train=train.csv', '--model=model.json', '--fail'], { cwd });
  assert.deepEqual([r.code, r.stderr], [1, 'sealed: fit-model was asked to fail\n']);
  assert.deepEqual(listTree(cwd), ['train.csv']);
});

test('sealed component usage errors name the valid components and options', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'n.csv'), '1\n');
  const cases: [string[], number, string][] = [
    [['component'], 2, 'sealed: sealed component needs a component name (evaluate, fit-model, make-numbers, split-numbers)\n'],
    [['component', 'nope'], 2, "sealed: unknown component 'nope' (components: evaluate, fit-model, make-numbers, split-numbers)\n"],
    [['component', 'make-numbers', '--numbers=x', '--size=3'], 2, "sealed: unknown option --size for component 'make-numbers' (options: --numbers, --count, --start)\n"],
    [['component', 'make-numbers', '--count=3'], 2, "sealed: component 'make-numbers' needs --numbers=<path>\n"],
    [['component', 'split-numbers', '--train=a', '--test=b'], 2, "sealed: component 'split-numbers' needs --data=<path>\n"],
    [['component', 'make-numbers', '--numbers=x', '--count=three'], 2, "sealed: option --count must be an integer, got 'three'\n"],
    [['component', 'make-numbers', '--numbers=x', '--count=0'], 2, "sealed: parameter 'count' of component 'make-numbers' must be >= 1, got 0\n"],
    [['component', 'make-numbers', '--numbers=x', '--count=1', '--count=2'], 2, 'sealed: option --count is given twice\n'],
    [['component', 'make-numbers', '--numbers'], 2, 'sealed: option --numbers needs a value\n'],
    [['component', 'make-numbers', 'x.csv'], 2, "sealed: unexpected argument 'x.csv' for component 'make-numbers'; name every value, e.g. --key=value\n"],
    [['component', '--count=3', 'make-numbers'], 2, 'sealed: give the component name first: sealed component <component> --count=3 ...\n'],
    [['component', 'split-numbers', '--data=missing.csv', '--train=a', '--test=b'], 1, 'sealed: file not found: missing.csv\n'],
    [['component', 'fit-model', '--train=n.csv', '--model=m', '--mode=median'], 2, "sealed: parameter 'mode' of component 'fit-model' must be one of sum, mean, got 'median'\n"],
  ];
  for (const [argv, code, stderr] of cases) {
    const r = await runCli(argv, { cwd });
    assert.deepEqual([r.code, r.stderr], [code, stderr], argv.join(' '));
  }
  assert.deepEqual(listTree(cwd), ['n.csv']);
  const help = await runCli(['component', 'fit-model', '--help'], { cwd });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--train=<path> {2}input system.Dataset\n {2}--model=<path> {2}output system.Model\n {2}--mode=<value>/);
});
