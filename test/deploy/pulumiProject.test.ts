// The Pulumi project in deploy/azure as files: exact pins in its own package and lock file, none
// of it in the main package (whose `npm ci` must stay free of Pulumi), the runtime options that
// make Pulumi load TypeScript ES modules through tsx, and CI installing it. Pulumi's project file
// reference: pulumi.com/docs/iac/concepts/projects/project-file/ (runtime options `typescript`,
// `nodeargs`; `main`). How Pulumi loads an ES module program: @pulumi/pulumi cmd/run/run.ts
// (dynamic import of `main`; a default export is called and must be the only export).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { PULUMI_PROJECT } from '../../src/deploy/config/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AZURE = join(ROOT, 'deploy', 'azure');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

test('deploy/azure is its own private ES-module package pinning exactly @pulumi/pulumi 3.248.0 and @pulumi/azure-native 3.28.0', () => {
  const pkg = json(join(AZURE, 'package.json'));
  assert.equal(pkg.private, true);
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.dependencies, { '@pulumi/azure-native': '3.28.0', '@pulumi/pulumi': '3.248.0' });
  assert.equal(pkg.devDependencies, undefined);
  const lock = json(join(AZURE, 'package-lock.json')) as { lockfileVersion: number; packages: Record<string, { version?: string }> };
  assert.equal(lock.lockfileVersion, 3);
  assert.equal(lock.packages['node_modules/@pulumi/pulumi']?.version, '3.248.0');
  assert.equal(lock.packages['node_modules/@pulumi/azure-native']?.version, '3.28.0');
});

test("the main package's install stays free of Pulumi", () => {
  const pkg = json(join(ROOT, 'package.json')) as { dependencies: object; devDependencies: object };
  for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]) assert.ok(!name.startsWith('@pulumi/'), name);
  const lock = json(join(ROOT, 'package-lock.json')) as { packages: Record<string, unknown> };
  const pulumi = Object.keys(lock.packages).filter((p) => p.includes('node_modules/@pulumi/'));
  assert.deepEqual(pulumi, []);
});

test('Pulumi.yaml: the project name the deploy steps use, nodejs with tsx instead of the built-in ts-node, main index.ts', () => {
  const project = parse(readFileSync(join(AZURE, 'Pulumi.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(project.name, PULUMI_PROJECT);
  assert.deepEqual(project.runtime, { name: 'nodejs', options: { typescript: false, nodeargs: '--import tsx' } });
  assert.equal(project.main, 'index.ts');
  assert.ok(existsSync(join(AZURE, 'index.ts')));
});

test('CI installs deploy/azure after the main npm ci and type-checks it', () => {
  const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  const main = ci.indexOf('npm ci --no-audit --no-fund');
  const azure = ci.indexOf('npm ci --prefix deploy/azure --no-audit --no-fund');
  assert.ok(main >= 0 && azure > main, 'npm ci --prefix deploy/azure after the main npm ci');
  assert.ok(ci.indexOf('typecheck:deploy') > azure);
});

test('Pulumi loads the program as it will: node --import tsx, from deploy/azure, importing index.ts, finds only a default export', () => {
  assert.ok(existsSync(join(AZURE, 'node_modules', '@pulumi', 'pulumi')), 'deploy/azure/node_modules is missing: run `npm ci --prefix deploy/azure --no-audit --no-fund`');
  // The nodeargs of Pulumi.yaml, the project folder as working directory (Pulumi's --pwd), and a
  // dynamic import of `main`, as run.ts does for a package of type module.
  const script = "const m = await import(new URL('index.ts', 'file://' + process.cwd() + '/').href); process.stdout.write(JSON.stringify({ keys: Object.keys(m), type: typeof m.default }));";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: AZURE, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { keys: ['default'], type: 'function' });
});
