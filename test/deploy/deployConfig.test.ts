// The deploy configuration (src/deploy/config): defaults per TEE, every Azure naming rule, the VM
// size catalogue, and the file reader, with tests named after the attacks they stop. Rules checked
// against Microsoft's "Naming rules and restrictions for Azure resources" and "Azure regions list"
// (cited in src/deploy/config/azureNames.ts and regions.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, IoError } from '../../src/core/errors.ts';
import {
  AZURE_REGIONS,
  CONFIDENTIAL_FAMILIES,
  DEFAULT_CONFIDENTIAL_SIZE,
  dnsPrefixFor,
  loadDeployConfig,
  MAX_CONFIG_BYTES,
  parseDeployConfig,
  TEES,
  confidentialFamilyOf,
  pulumiConfigFileArgs,
} from '../../src/deploy/config/index.ts';

const BASE = { location: 'eastus', resourceGroup: 'rg-sealed', clusterName: 'sealed-aks', acr: { name: 'sealedacr01' } };

/** The one-line message a configuration gives, asserting it is a UsageError (exit code 2). */
function refusal(raw: unknown): string {
  try {
    parseDeployConfig(raw, 'sealed-deploy.yaml');
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    return e.message;
  }
  assert.fail(`accepted ${JSON.stringify(raw)}`);
}

const withPool = (pool: Record<string, unknown>) => ({ ...BASE, confidentialPool: pool });

test('the minimal configuration gets the reference tutorial cluster: 1 x D4_v5 system, 2 x DC4s_v3 intelsgx labelled intelvm=sgx', () => {
  const { config, warnings } = parseDeployConfig(BASE, 'x');
  assert.deepEqual(config, {
    location: 'eastus',
    resourceGroup: 'rg-sealed',
    clusterName: 'sealed-aks',
    systemPool: { vmSize: 'Standard_D4_v5', count: 1 },
    confidentialPool: { name: 'intelsgx', vmSize: 'Standard_DC4s_v3', count: 2, tee: 'sgx', labels: { intelvm: 'sgx' } },
    acr: { name: 'sealedacr01', sku: 'Standard' },
  });
  // DCsv3 closes to new subscriptions: a warning, not an error.
  assert.deepEqual(warnings.map((w) => w.field), ['confidentialPool.vmSize']);
  assert.match(warnings[0].message, /1 Nov 2026.*31 Oct 2029/);
});

test('each TEE has its own default pool name, size and label; SEV-SNP and TDX warn that SGX pods will not fit', () => {
  const snp = parseDeployConfig(withPool({ tee: 'sev-snp' }), 'x');
  assert.deepEqual(snp.config.confidentialPool, { name: 'amdsevsnp', vmSize: 'Standard_DC4as_v6', count: 2, tee: 'sev-snp', labels: { tee: 'sev-snp' } });
  assert.deepEqual(snp.warnings.map((w) => w.field), ['confidentialPool.tee']);
  const tdx = parseDeployConfig(withPool({ tee: 'tdx', count: 3, vmSize: 'standard_dc8ES_v6', labels: { 'example.com/tee': 'tdx' } }), 'x');
  // A size in any case comes back in the catalogue's spelling (ARM compares without case).
  assert.deepEqual(tdx.config.confidentialPool, { name: 'inteltdx', vmSize: 'Standard_DC8es_v6', count: 3, tee: 'tdx', labels: { 'example.com/tee': 'tdx' } });
  for (const tee of TEES) assert.equal(confidentialFamilyOf(DEFAULT_CONFIDENTIAL_SIZE[tee])?.tee, tee);
});

test('a VM size of another TEE, an unknown size and any SGX size in the system pool are refused, naming the field', () => {
  assert.match(refusal(withPool({ vmSize: 'Standard_DC4as_v6' })), /confidentialPool\.vmSize: 'Standard_DC4as_v6' \(DCasv6\) is a sev-snp size but tee is sgx; set tee: sev-snp/);
  assert.match(refusal(withPool({ tee: 'tdx', vmSize: 'Standard_DC4s_v3' })), /DCsv3\) is a sgx size but tee is tdx/);
  assert.match(refusal(withPool({ vmSize: 'Standard_D4_v5' })), /confidentialPool\.vmSize: 'Standard_D4_v5' is not a confidential-computing size of sgx \(families DCsv3, DCdsv3\)/);
  assert.match(refusal({ ...BASE, systemPool: { vmSize: 'Standard_DC2s_v3' } }), /systemPool\.vmSize: 'Standard_DC2s_v3' is an SGX size/);
  // Standard_DC1s_v3 is not offered for AKS nodes, but it is still SGX.
  assert.match(refusal({ ...BASE, systemPool: { vmSize: 'standard_dc1ds_v3' } }), /is an SGX size/);
  assert.match(refusal({ ...BASE, systemPool: { vmSize: 'D4_v5' } }), /systemPool\.vmSize: must be an Azure VM size such as Standard_D4_v5/);
  assert.match(refusal(withPool({ tee: 'nitro' })), /confidentialPool\.tee: must be one of sgx, sev-snp, tdx/);
});

test('node counts are whole numbers within bounds', () => {
  assert.match(refusal({ ...BASE, systemPool: { count: 0 } }), /systemPool\.count: must be at least 1/);
  assert.match(refusal({ ...BASE, systemPool: { count: 11 } }), /systemPool\.count: must be at most 10/);
  assert.match(refusal(withPool({ count: 21 })), /confidentialPool\.count: must be at most 20/);
  assert.match(refusal(withPool({ count: 1.5 })), /confidentialPool\.count: must be a whole number/);
  assert.match(refusal(withPool({ count: '2' })), /confidentialPool\.count: must be a number/);
  assert.match(refusal(withPool({ count: 2 ** 60 })), /confidentialPool\.count: must be at most 20/);
  // YAML's .nan and .inf are numbers to a parser, not node counts.
  assert.match(refusal(withPool({ count: Number.NaN })), /confidentialPool\.count: must be a number/);
  assert.match(refusal(withPool({ count: Number.POSITIVE_INFINITY })), /confidentialPool\.count: must be a number/);
});

test('Azure naming rules per resource (Microsoft resource-name-rules)', () => {
  assert.match(refusal({ ...BASE, acr: { name: 'acr1' } }), /acr\.name: 'acr1' must be 5-50 characters/);
  assert.match(refusal({ ...BASE, acr: { name: 'sealed-acr' } }), /acr\.name: 'sealed-acr' may hold only letters and digits/);
  assert.match(refusal({ ...BASE, acr: { name: 'sealedacr01', sku: 'Basic' } }), /acr\.sku: must be Standard or Premium/);
  assert.match(refusal({ ...BASE, keyVault: { name: 'kv' } }), /keyVault\.name: 'kv' must be 3-24 characters/);
  assert.match(refusal({ ...BASE, keyVault: { name: '1sealed-kv' } }), /must start with a letter/);
  assert.match(refusal({ ...BASE, keyVault: { name: 'sealed--kv' } }), /must not contain consecutive hyphens/);
  assert.match(refusal({ ...BASE, keyVault: { name: 'sealed-kv-' } }), /must end with a letter or digit/);
  assert.match(refusal({ ...BASE, attestation: { name: 'SealedMaa' } }), /attestation\.name: 'SealedMaa' may hold only lowercase letters and digits/);
  assert.match(refusal({ ...BASE, clusterName: '-aks' }), /clusterName: '-aks' must start and end with a letter or digit/);
  assert.match(refusal({ ...BASE, clusterName: 'a'.repeat(64) }), /clusterName: 'a+…?' must be 1-63 characters/);
  assert.match(refusal({ ...BASE, resourceGroup: 'rg.' }), /resourceGroup: 'rg\.' must not end with a period/);
  assert.match(refusal({ ...BASE, resourceGroup: 'r'.repeat(91) }), /must be 1-90 characters/);
  assert.match(refusal(withPool({ name: 'IntelSgx' })), /confidentialPool\.name: 'IntelSgx' may hold only lowercase letters and digits/);
  assert.match(refusal(withPool({ name: '1sgx' })), /must start with a lowercase letter/);
  assert.match(refusal(withPool({ name: 'sgxpoolnumber1' })), /must be 1-12 characters/);
  assert.match(refusal(withPool({ name: 'system' })), /confidentialPool\.name: 'system' is the system pool's name/);
  // Parentheses, periods and underscores are allowed in resource group names.
  assert.equal(parseDeployConfig({ ...BASE, resourceGroup: 'rg_(sealed).prod' }, 'x').config.resourceGroup, 'rg_(sealed).prod');
});

test('location must be a region name from az account list-locations; a display name gets the programmatic one suggested', () => {
  assert.match(refusal({ ...BASE, location: 'West Europe' }), /location: 'West Europe' is not an Azure region name \(az account list-locations\); did you mean 'westeurope'\?/);
  assert.match(refusal({ ...BASE, location: 'eastus3' }), /did you mean 'eastus/);
  assert.match(refusal({ ...BASE, location: 'mars' }), /location: 'mars' is not an Azure region name/);
  assert.equal(new Set(AZURE_REGIONS).size, AZURE_REGIONS.length);
  for (const r of ['eastus', 'westeurope', 'swedencentral', 'uksouth']) assert.ok(AZURE_REGIONS.includes(r));
});

test('kubernetesVersion, tags, unknown and missing fields', () => {
  assert.equal(parseDeployConfig({ ...BASE, kubernetesVersion: '1.31.2' }, 'x').config.kubernetesVersion, '1.31.2');
  assert.match(refusal({ ...BASE, kubernetesVersion: 'latest' }), /kubernetesVersion: must be a Kubernetes version such as 1\.31/);
  assert.match(refusal({ ...BASE, locaton: 'eastus' }), /locaton: unknown field; did you mean 'location'\?/);
  assert.match(refusal({ ...BASE, confidentialPool: { vmsize: 'Standard_DC4s_v3' } }), /confidentialPool\.vmsize: unknown field; did you mean 'vmSize'\?/);
  assert.match(refusal({ location: 'eastus', clusterName: 'a', acr: { name: 'sealedacr01' } }), /resourceGroup: is required/);
  assert.match(refusal({ ...BASE, acr: undefined }), /acr: is required/);
  assert.match(refusal([BASE]), /\(top level\): must be a mapping/);
  const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v']));
  assert.match(refusal({ ...BASE, tags }), /tags: must hold at most 50 tags/);
  assert.match(refusal({ ...BASE, tags: { 'cost/centre': 'x' } }), /tags: key 'cost\/centre' must not contain < > % & \\ \? \/ or control characters$/);
  assert.match(refusal({ ...BASE, tags: { ['t'.repeat(200)]: 'v' } }), /tags: key 't+…' must be 1-128 characters$/);
  assert.match(refusal(withPool({ vmSize: 'x'.repeat(100) })), /confidentialPool\.vmSize: must be at most 64 characters$/);
  assert.deepEqual(parseDeployConfig({ ...BASE, tags: { owner: 'ml-team' } }, 'x').config.tags, { owner: 'ml-team' });
});

test('node labels use the Kubernetes label checks and refuse the domains the kubelet may not set', () => {
  assert.match(refusal(withPool({ labels: { 'bad key': 'x' } })), /confidentialPool\.labels: key 'bad key' must be a Kubernetes label key/);
  assert.match(refusal(withPool({ labels: { intelvm: 'a'.repeat(64) } })), /confidentialPool\.labels\.intelvm: must be a Kubernetes label value/);
  assert.match(refusal(withPool({ labels: { 'kubernetes.azure.com/mode': 'system' } })), /key 'kubernetes\.azure\.com\/mode' is under kubernetes\.azure\.com/);
  assert.match(refusal(withPool({ labels: { 'node-role.kubernetes.io/master': '' } })), /is under kubernetes\.io/);
  assert.match(refusal(withPool({ labels: {} })), /must hold at least one label/);
});

test('attack: shell metacharacters in names are refused (names reach az/pulumi/kubectl argv)', () => {
  for (const name of ['aks;rm -rf ~', 'aks$(id)', 'aks`id`', 'aks|nc', 'aks&&x', "aks'x", 'aks x']) {
    assert.match(refusal({ ...BASE, clusterName: name }), /clusterName: .* may hold only letters, digits, _ and -/);
  }
  assert.match(refusal({ ...BASE, resourceGroup: 'rg;id' }), /resourceGroup: .* may hold only letters, digits/);
});

test('attack: YAML injection through a name or label (newline, colon, document marker) is refused', () => {
  assert.match(refusal({ ...BASE, clusterName: 'aks\nextra: true' }), /clusterName: 'aks\\x0aextra: true' may hold only/);
  assert.match(refusal(withPool({ labels: { intelvm: 'sgx\n---\nkind: Secret' } })), /confidentialPool\.labels\.intelvm: must be a Kubernetes label value/);
  assert.match(refusal({ ...BASE, tags: { owner: 'a\nb' } }), /tags\.owner: must not contain control characters/);
});

test('attack: a label key with terminal escapes is quoted escaped in the field name', () => {
  const message = refusal(withPool({ labels: { 'a\u001b[31m': 'x' } }));
  assert.ok(!message.includes('\u001b'), message);
  assert.match(refusal(withPool({ labels: ['intelvm=sgx'] })), /confidentialPool\.labels: must be a mapping/);
});

test('attack: look-alike letters in a resource group name are refused (ASCII only)', () => {
  // Cyrillic 'е' (U+0435) looks like 'e'; Azure would accept it, the kit does not.
  assert.match(refusal({ ...BASE, resourceGroup: 'rg-s\u0435aled' }), /may hold only letters, digits/);
});

test('attack: terminal escapes in a quoted value are shown escaped, never raw', () => {
  const message = refusal({ ...BASE, location: '\u001b[2Jeastus\u202e' });
  assert.ok(!message.includes('\u001b') && !message.includes('\u202e'), message);
  assert.match(message, /\\x1b\[2Jeastus\\u202e/);
});

test('attack: a __proto__ key is an unknown field, not a prototype that fills in missing fields', () => {
  const raw = JSON.parse('{"__proto__": {"resourceGroup": "from-proto"}, "location": "eastus", "clusterName": "a", "acr": {"name": "sealedacr01"}}');
  // JSON.parse (and the yaml package) make __proto__ an own key; the schema never reads through it.
  assert.match(refusal(raw), /resourceGroup: is required/);
  assert.match(refusal({ ...BASE, ...JSON.parse('{"__proto__": {"x": 1}}') }), /__proto__: unknown field/);
});

test('dnsPrefixFor: underscores become hyphens, at most 54 characters, no trailing hyphen', () => {
  assert.equal(dnsPrefixFor('sealed_aks'), 'sealed-aks');
  assert.equal(dnsPrefixFor(`${'a'.repeat(53)}_b`), 'a'.repeat(53));
  assert.ok(dnsPrefixFor('x'.repeat(63)).length === 54);
});

test('the size catalogue: the families the issue names, each size once, SGX only for DCsv3/DCdsv3', () => {
  const byFamily = Object.fromEntries(CONFIDENTIAL_FAMILIES.map((f) => [f.family, f.tee]));
  assert.deepEqual(byFamily, {
    DCsv3: 'sgx', DCdsv3: 'sgx', DCasv5: 'sev-snp', DCadsv5: 'sev-snp', DCasv6: 'sev-snp', DCadsv6: 'sev-snp',
    DCesv5: 'tdx', DCedsv5: 'tdx', DCesv6: 'tdx', DCedsv6: 'tdx',
  });
  const all = CONFIDENTIAL_FAMILIES.flatMap((f) => f.sizes);
  assert.equal(new Set(all.map((s) => s.toLowerCase())).size, all.length);
  assert.ok(all.includes('Standard_DC4s_v3') && all.includes('Standard_DC2as_v6') && all.includes('Standard_DC128es_v6'));
  assert.ok(!all.includes('Standard_DC1s_v3'), 'AKS nodes need 2 vCPUs');
});

test('a checked configuration checks again to itself (what sealed deploy up hands the Pulumi program as JSON)', () => {
  for (const raw of [BASE, withPool({ tee: 'tdx', vmSize: 'standard_dc8es_v6' }), { ...BASE, keyVault: { name: 'sealed-kv' }, attestation: { name: 'sealedmaa' }, tags: { a: 'b' } }]) {
    const once = parseDeployConfig(raw, 'x').config;
    assert.deepEqual(parseDeployConfig(JSON.parse(JSON.stringify(once)), 'y').config, once);
  }
});

test('pulumiConfigFileArgs hands Pulumi an absolute configuration path under sealed:configFile', () => {
  assert.deepEqual(pulumiConfigFileArgs('/home/me/sealed-deploy.yaml'), ['--config', 'sealed:configFile=/home/me/sealed-deploy.yaml']);
  // Pulumi runs the program from deploy/azure: a relative path would name another file.
  assert.throws(() => pulumiConfigFileArgs('sealed-deploy.yaml'), /absolute path/);
});

// --- the file reader -------------------------------------------------------------------------

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sealed-deploy-config-'));
}

test('loadDeployConfig reads YAML and JSON (a BOM is fine) and names the file in errors', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const yamlPath = join(dir, 'sealed-deploy.yaml');
  writeFileSync(yamlPath, '\uFEFF# cluster\nlocation: westeurope\nresourceGroup: rg-sealed\nclusterName: sealed-aks\nacr:\n  name: sealedacr01\nconfidentialPool:\n  tee: sev-snp\n');
  const loaded = await loadDeployConfig(yamlPath);
  assert.equal(loaded.config.location, 'westeurope');
  assert.equal(loaded.config.confidentialPool.vmSize, 'Standard_DC4as_v6');
  assert.equal(loaded.source, yamlPath);
  const jsonPath = join(dir, 'deploy.json');
  writeFileSync(jsonPath, JSON.stringify({ ...BASE, systemPool: { count: 2 } }));
  assert.equal((await loadDeployConfig(jsonPath)).config.systemPool.count, 2);
  writeFileSync(jsonPath, JSON.stringify({ ...BASE, systemPool: { count: 99 } }));
  await assert.rejects(loadDeployConfig(jsonPath), (e: Error) => e instanceof UsageError && e.message === `deploy configuration ${jsonPath}: systemPool.count: must be at most 10`);
});

test('deploy/azure/sealed-deploy.example.yaml is a valid configuration (the documented fields stay true)', async () => {
  const loaded = await loadDeployConfig(fileURLToPath(new URL('../../deploy/azure/sealed-deploy.example.yaml', import.meta.url)));
  assert.equal(loaded.config.confidentialPool.vmSize, 'Standard_DC4s_v3');
  assert.deepEqual(loaded.config.confidentialPool.labels, { intelvm: 'sgx' });
});

test('a syntax error, an empty file, a missing file and a directory are one-line errors', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'location: [eastus\nresourceGroup: x\n');
  await assert.rejects(loadDeployConfig(bad), (e: Error) => e instanceof UsageError && /is not valid YAML or JSON/.test(e.message) && !e.message.includes('\n'));
  const dup = join(dir, 'dup.yaml');
  writeFileSync(dup, 'location: eastus\nlocation: westus\n');
  await assert.rejects(loadDeployConfig(dup), /is not valid YAML or JSON/);
  const empty = join(dir, 'empty.yaml');
  writeFileSync(empty, '');
  await assert.rejects(loadDeployConfig(empty), (e: Error) => e instanceof IoError && /file is empty/.test(e.message));
  await assert.rejects(loadDeployConfig(join(dir, 'absent.yaml')), /file not found/);
  mkdirSync(join(dir, 'sub'));
  await assert.rejects(loadDeployConfig(join(dir, 'sub')), /not a regular file/);
});

test('attack: a secret file given as the configuration never has its content in the error', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of [
    ['shadow.json', 'root:$6$hunter2secret:19000:0:99999:7:::\n'],
    ['shadow.yaml', 'root: "$6$hunter2secret\n: [x'],
    ['key.yaml', '-----BEGIN PRIVATE KEY-----\nhunter2secret\n: :\n'],
  ]) {
    const path = join(dir, name);
    writeFileSync(path, content);
    await assert.rejects(loadDeployConfig(path), (e: Error) => e instanceof UsageError && !e.message.includes('hunter2') && !e.message.includes('root:'));
  }
});

test('attack: a huge configuration file is refused at the size limit', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = join(dir, 'big.yaml');
  writeFileSync(big, `location: eastus\n# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
  await assert.rejects(loadDeployConfig(big), (e: Error) => e instanceof IoError && /larger than the 65536-byte limit/.test(e.message));
});

test('attack: YAML aliases ("billion laughs") are refused', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bomb = join(dir, 'bomb.yaml');
  writeFileSync(bomb, 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n');
  await assert.rejects(loadDeployConfig(bomb), /is not valid YAML or JSON/);
});

test('attack: a FIFO (or a symlink to one) as the configuration is refused without blocking', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'fifo.yaml');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(loadDeployConfig(fifo), /not a regular file/);
  const link = join(dir, 'link.yaml');
  symlinkSync(fifo, link);
  await assert.rejects(loadDeployConfig(link), /not a regular file/);
});
