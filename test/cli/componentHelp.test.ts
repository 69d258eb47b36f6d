// `sealed component --help` from a help source (the build's copy of the default catalog's help,
// src/cli/componentHelp.ts): answered without loading the catalog, same text as the registry's,
// and anything the source does not know goes to the catalog, so errors stay the catalog's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentCommand } from '../../src/cli/commands/component.ts';
import { componentHelpOf, COMPONENT_HELP_FILE, isComponentHelp, type ComponentHelp } from '../../src/cli/componentHelp.ts';
import { defaultCatalog, type PipelineCatalog } from '../../src/cli/pipelineCatalog.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { repoRoot } from '../helpers/sharedData.ts';
import { Capture, toyCatalog } from './helpers.ts';

const signal = new AbortController().signal;

function io(): CliIo & { stdout: Capture; stderr: Capture } {
  return { stdout: new Capture(), stderr: new Capture(), env: {}, cwd: repoRoot, cores: 1 };
}

const CATALOG_LOADED = new Error('the catalog was loaded');
const refusingCatalog: PipelineCatalog = async () => {
  throw CATALOG_LOADED;
};

test("the build's component help is the default catalog's registry's, text for text", async () => {
  const built = JSON.parse(readFileSync(join(repoRoot, 'dist/app', COMPONENT_HELP_FILE), 'utf8')) as ComponentHelp;
  assert.deepEqual(built, componentHelpOf((await defaultCatalog()).registry));
});

test('help requests are answered from the help source without loading the catalog', async () => {
  const help = componentHelpOf((await toyCatalog()).registry);
  const source = async (): Promise<ComponentHelp> => help;
  const list = io();
  assert.equal(await componentCommand('--help', [], list, refusingCatalog, signal, source), 0);
  assert.equal(list.stdout.text, `usage: sealed component <component> --<key>=<path-or-value> ...\ncomponents: ${help.names.join(', ')}\n`);
  for (const tokens of [['--help'], ['-h'], ['--count=3', '--help']]) {
    const one = io();
    assert.equal(await componentCommand('make-numbers', tokens, one, refusingCatalog, signal, source), 0);
    assert.equal(one.stdout.text, help.describe['make-numbers']);
  }
  await assert.rejects(componentCommand(undefined, [], io(), refusingCatalog, signal, source), /needs a component name \(evaluate, fit-model, make-numbers, split-numbers\)/);
  // Running a component (no help asked) always goes to the catalog.
  await assert.rejects(componentCommand('make-numbers', ['--count=3'], io(), refusingCatalog, signal, source), (e) => e === CATALOG_LOADED);
});

test('prototype-key component names (__proto__, constructor, toString) are not found in the help source: the catalog answers', async () => {
  const source = async (): Promise<ComponentHelp> => componentHelpOf((await toyCatalog()).registry);
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const out = io();
    await assert.rejects(componentCommand(name, ['--help'], out, toyCatalog, signal, source), /unknown component/, name);
    assert.equal(out.stdout.text, '', name);
  }
});

test('without a help source, or when it has nothing, help comes from the catalog with the same text', async () => {
  const { registry } = await toyCatalog();
  for (const source of [undefined, async () => undefined]) {
    const out = io();
    assert.equal(await componentCommand('fit-model', ['--help'], out, toyCatalog, signal, source), 0);
    assert.equal(out.stdout.text, componentHelpOf(registry).describe['fit-model']);
  }
});

test('terminal escapes in an edited help file: not trusted, the registry answers instead', () => {
  const good: ComponentHelp = { names: ['a'], describe: { a: 'usage: sealed component a\n  --x=<path>\n' } };
  assert.equal(isComponentHelp(good), true);
  for (const bad of ['\u001b]8;;https://evil.example\u0007a\u001b]8;;\u0007', 'a\u001b[2J', 'a\u0000', 'a\u009b31m', 'a\r']) {
    assert.equal(isComponentHelp({ names: ['a'], describe: { a: bad } }), false, JSON.stringify(bad));
    assert.equal(isComponentHelp({ names: [bad], describe: { [bad]: 'x' } }), false, JSON.stringify(bad));
  }
});
