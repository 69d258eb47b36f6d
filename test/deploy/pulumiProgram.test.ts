// The Pulumi program in deploy/azure, run in process with Pulumi's mocks: no Pulumi CLI, no engine,
// no cloud. `pulumi.runtime.setMocks` replaces the resource monitor, so every resource the program
// registers reaches `newResource` with its inputs, and every provider function reaches `call`
// (Pulumi docs, "Unit testing Pulumi programs" pulumi.com/docs/iac/guides/testing/unit/, and the
// API reference pulumi.com/docs/reference/pkg/nodejs/pulumi/pulumi/functions/runtime.setMocks.html).
// The inputs are checked field by field against the azure-native API docs the program follows
// (pulumi.com/registry/packages/azure-native/api-docs/: resources/resourcegroup,
// containerservice/managedcluster, containerservice/agentpool, containerregistry/registry,
// authorization/roleassignment, keyvault/vault, attestation/attestationprovider,
// authorization/getclientconfig), and the outputs the mocks send back follow the same pages.
//
// The SDK comes from deploy/azure/node_modules (`npm ci --prefix deploy/azure`), never from the
// main package: that install stays free of Pulumi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IoError, type SealedError, UsageError } from '../../src/core/errors.ts';
import { parseDeployConfig, type DeployConfig } from '../../src/deploy/config/index.ts';

const AZURE_DIR = fileURLToPath(new URL('../../deploy/azure/', import.meta.url));
if (!existsSync(join(AZURE_DIR, 'node_modules', '@pulumi', 'pulumi', 'package.json'))) {
  throw new Error('deploy/azure/node_modules is missing: run `npm ci --prefix deploy/azure --no-audit --no-fund` (.ci/run does, after the main npm ci)');
}
const { pulumi } = await import('../../deploy/azure/sdk.ts');
const { defineStack } = await import('../../deploy/azure/stack.ts');
const { main } = await import('../../deploy/azure/main.ts');

const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
const TENANT = '99999999-8888-7777-6666-555555555555';
const KUBELET_OBJECT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ACR_PULL = '7f951dda-4ed3-4680-a7ca-43fe172d538d';

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Installs fresh mocks; returns what the program registers and calls. */
async function installMocks(): Promise<{ resources: Registered[]; calls: string[] }> {
  const resources: Registered[] = [];
  const calls: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const inputs = args.inputs as Record<string, unknown>;
        const rg = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(inputs.resourceGroupName)}`;
        // What ARM sends back (the API docs' output properties), enough for the program's outputs.
        switch (args.type) {
          case 'azure-native:resources:ResourceGroup':
            return { id: rg, state: { ...inputs, name: inputs.resourceGroupName } };
          case 'azure-native:containerservice:ManagedCluster':
            return {
              id: `${rg}/providers/Microsoft.ContainerService/managedClusters/${String(inputs.resourceName)}`,
              state: { ...inputs, name: inputs.resourceName, identityProfile: { kubeletidentity: { objectId: KUBELET_OBJECT_ID, clientId: 'kubelet-client', resourceId: 'kubelet-id' } } },
            };
          case 'azure-native:containerservice:AgentPool':
            return { id: `${rg}/agentPools/${String(inputs.agentPoolName)}`, state: { ...inputs, name: inputs.agentPoolName } };
          case 'azure-native:containerregistry:Registry':
            return {
              id: `${rg}/providers/Microsoft.ContainerRegistry/registries/${String(inputs.registryName)}`,
              state: { ...inputs, name: inputs.registryName, loginServer: `${String(inputs.registryName).toLowerCase()}.azurecr.io` },
            };
          case 'azure-native:keyvault:Vault':
            return {
              id: `${rg}/providers/Microsoft.KeyVault/vaults/${String(inputs.vaultName)}`,
              state: { ...inputs, name: inputs.vaultName, properties: { ...(inputs.properties as object), vaultUri: `https://${String(inputs.vaultName)}.vault.azure.net/` } },
            };
          case 'azure-native:attestation:AttestationProvider':
            return { id: `${rg}/providers/Microsoft.Attestation/attestationProviders/${String(inputs.providerName)}`, state: { ...inputs, name: inputs.providerName, attestUri: `https://${String(inputs.providerName)}.eus.attest.azure.net` } };
          default:
            return { id: `${args.name}-id`, state: inputs };
        }
      },
      call(args) {
        calls.push(args.token);
        if (args.token === 'azure-native:authorization:getClientConfig') {
          return { subscriptionId: SUBSCRIPTION, tenantId: TENANT, clientId: 'client', objectId: 'object' };
        }
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    'sealed-azure',
    'test',
    false,
  );
  return { resources, calls };
}

/** An output's value (mocks resolve everything; nothing is unknown outside a preview). */
function valueOf<T>(o: { apply<U>(f: (v: T) => U): unknown }): Promise<T> {
  return new Promise((resolve) => {
    o.apply((v: T) => {
      resolve(v);
      return v;
    });
  });
}

async function run(config: DeployConfig) {
  const recorded = await installMocks();
  const stack = defineStack(config);
  // A resource's URN resolves once it is registered: then its inputs have reached newResource.
  await Promise.all(stack.resources.map((r) => valueOf(r.urn)));
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(stack.outputs)) outputs[k] = await valueOf(v);
  return { ...recorded, outputs };
}

const byType = (resources: Registered[], type: string): Registered => {
  const found = resources.filter((r) => r.type === type);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0];
};

const BASE = { location: 'eastus', resourceGroup: 'rg-sealed', clusterName: 'sealed-aks', acr: { name: 'sealedacr01' } };

// Inputs the azure-native SDK fills in when the program leaves them out (its constructors and the
// *ProvideDefaults functions of @pulumi/azure-native types/input.js): part of what reaches Azure,
// so part of what is checked.
const NETWORK_PROFILE = {
  loadBalancerSku: 'standard',
  networkPlugin: 'azure',
  networkPluginMode: 'overlay',
  // containerServiceNetworkProfileArgsProvideDefaults
  dnsServiceIP: '10.0.0.10',
  outboundType: 'loadBalancer',
  podCidr: '10.244.0.0/16',
  serviceCidr: '10.0.0.0/16',
};
const REGISTRY_DEFAULTS = {
  adminUserEnabled: false, // set by the program; the rest by containerregistry/registry.js
  anonymousPullEnabled: false,
  networkRuleBypassOptions: 'AzureServices',
  publicNetworkAccess: 'Enabled',
  zoneRedundancy: 'Disabled',
};

test('default configuration: resource group, AKS with the SGX add-on and quote helper, intelsgx pool, ACR, AcrPull', async () => {
  const { resources, calls, outputs } = await run(parseDeployConfig(BASE, 'test').config);
  // Registration order follows output resolution, not source order: compare as a set.
  assert.deepEqual(resources.map((r) => r.type).sort(), [
    'azure-native:authorization:RoleAssignment',
    'azure-native:containerregistry:Registry',
    'azure-native:containerservice:AgentPool',
    'azure-native:containerservice:ManagedCluster',
    'azure-native:resources:ResourceGroup',
  ]);
  assert.deepEqual(calls, ['azure-native:authorization:getClientConfig']);

  assert.deepEqual(byType(resources, 'azure-native:resources:ResourceGroup').inputs, { resourceGroupName: 'rg-sealed', location: 'eastus' });

  assert.deepEqual(byType(resources, 'azure-native:containerservice:ManagedCluster').inputs, {
    resourceGroupName: 'rg-sealed',
    resourceName: 'sealed-aks',
    location: 'eastus',
    dnsPrefix: 'sealed-aks',
    identity: { type: 'SystemAssigned' },
    enableRBAC: true,
    agentPoolProfiles: [{ name: 'system', mode: 'System', vmSize: 'Standard_D4_v5', count: 1, osType: 'Linux', type: 'VirtualMachineScaleSets' }],
    networkProfile: NETWORK_PROFILE,
    addonProfiles: { ACCSGXDevicePlugin: { enabled: true, config: { ACCSGXQuoteHelperEnabled: 'true' } } },
  });

  assert.deepEqual(byType(resources, 'azure-native:containerservice:AgentPool').inputs, {
    resourceGroupName: 'rg-sealed',
    resourceName: 'sealed-aks',
    agentPoolName: 'intelsgx',
    mode: 'User',
    vmSize: 'Standard_DC4s_v3',
    count: 2,
    osType: 'Linux',
    type: 'VirtualMachineScaleSets',
    nodeLabels: { intelvm: 'sgx' },
  });

  assert.deepEqual(byType(resources, 'azure-native:containerregistry:Registry').inputs, {
    resourceGroupName: 'rg-sealed',
    registryName: 'sealedacr01',
    location: 'eastus',
    sku: { name: 'Standard' },
    ...REGISTRY_DEFAULTS,
  });

  assert.deepEqual(byType(resources, 'azure-native:authorization:RoleAssignment').inputs, {
    principalId: KUBELET_OBJECT_ID,
    principalType: 'ServicePrincipal',
    roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL}`,
    scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-sealed/providers/Microsoft.ContainerRegistry/registries/sealedacr01`,
  });

  assert.deepEqual(outputs, { clusterName: 'sealed-aks', resourceGroupName: 'rg-sealed', acrLoginServer: 'sealedacr01.azurecr.io' });
});

test('TDX configuration with Key Vault and attestation: no SGX add-on, DC4es_v6 pool labelled tee=tdx, Premium RBAC vault with purge protection', async () => {
  const config = parseDeployConfig(
    {
      ...BASE,
      location: 'westeurope',
      clusterName: 'sealed_tdx',
      kubernetesVersion: '1.31',
      systemPool: { vmSize: 'Standard_D8_v5', count: 2 },
      confidentialPool: { tee: 'tdx', count: 3 },
      acr: { name: 'SealedAcr02', sku: 'Premium' },
      keyVault: { name: 'sealed-kv-01' },
      attestation: { name: 'sealedmaa01' },
      tags: { owner: 'ml-team' },
    },
    'test',
  ).config;
  const { resources, outputs } = await run(config);
  assert.equal(resources.length, 7);
  const tags = { owner: 'ml-team' };

  assert.deepEqual(byType(resources, 'azure-native:resources:ResourceGroup').inputs, { resourceGroupName: 'rg-sealed', location: 'westeurope', tags });
  const aks = byType(resources, 'azure-native:containerservice:ManagedCluster').inputs;
  assert.deepEqual(aks, {
    resourceGroupName: 'rg-sealed',
    resourceName: 'sealed_tdx',
    location: 'westeurope',
    dnsPrefix: 'sealed-tdx',
    kubernetesVersion: '1.31',
    identity: { type: 'SystemAssigned' },
    enableRBAC: true,
    agentPoolProfiles: [{ name: 'system', mode: 'System', vmSize: 'Standard_D8_v5', count: 2, osType: 'Linux', type: 'VirtualMachineScaleSets' }],
    networkProfile: NETWORK_PROFILE,
    tags,
  });
  assert.ok(!('addonProfiles' in aks), 'no SGX device plugin on a TDX cluster');

  assert.deepEqual(byType(resources, 'azure-native:containerservice:AgentPool').inputs, {
    resourceGroupName: 'rg-sealed',
    resourceName: 'sealed_tdx',
    agentPoolName: 'inteltdx',
    mode: 'User',
    vmSize: 'Standard_DC4es_v6',
    count: 3,
    osType: 'Linux',
    type: 'VirtualMachineScaleSets',
    nodeLabels: { tee: 'tdx' },
    tags,
  });
  assert.deepEqual(byType(resources, 'azure-native:containerregistry:Registry').inputs, {
    resourceGroupName: 'rg-sealed',
    registryName: 'SealedAcr02',
    location: 'westeurope',
    sku: { name: 'Premium' },
    ...REGISTRY_DEFAULTS,
    tags,
  });
  assert.deepEqual(byType(resources, 'azure-native:keyvault:Vault').inputs, {
    resourceGroupName: 'rg-sealed',
    vaultName: 'sealed-kv-01',
    location: 'westeurope',
    properties: {
      tenantId: TENANT,
      sku: { family: 'A', name: 'premium' },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
      // The SDK's vaultPropertiesArgsProvideDefaults: no VM, disk-encryption or template access to the vault.
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      publicNetworkAccess: 'enabled',
    },
    tags,
  });
  assert.deepEqual(byType(resources, 'azure-native:attestation:AttestationProvider').inputs, {
    resourceGroupName: 'rg-sealed',
    providerName: 'sealedmaa01',
    location: 'westeurope',
    // The SDK's attestationServiceCreationSpecificParamsArgsProvideDefaults.
    properties: { publicNetworkAccess: 'Enabled', tpmAttestationAuthentication: 'Enabled' },
    tags,
  });
  assert.deepEqual(outputs, {
    clusterName: 'sealed_tdx',
    resourceGroupName: 'rg-sealed',
    acrLoginServer: 'sealedacr02.azurecr.io',
    keyVaultUri: 'https://sealed-kv-01.vault.azure.net/',
    attestationUri: 'https://sealedmaa01.eus.attest.azure.net',
  });
});

// --- the entry point: configuration from the stack's config -----------------------------------

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sealed-pulumi-'));
}

test('main() reads sealed:configFile (relative to the project folder) and registers the stack', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'sealed-deploy.yaml'), 'location: uksouth\nresourceGroup: rg-file\nclusterName: aks-file\nacr:\n  name: fileacr01\nconfidentialPool:\n  tee: sev-snp\n');
  const { resources } = await installMocks();
  pulumi.runtime.setAllConfig({ 'sealed:configFile': 'sealed-deploy.yaml' });
  t.after(() => pulumi.runtime.setAllConfig({}));
  const stack = await main(dir);
  await Promise.all(stack.resources.map((r) => valueOf(r.urn)));
  const outputs = stack.outputs;
  assert.equal(await valueOf(outputs.clusterName!), 'aks-file');
  assert.equal(await valueOf(outputs.acrLoginServer!), 'fileacr01.azurecr.io');
  const pool = resources.find((r) => r.type === 'azure-native:containerservice:AgentPool');
  assert.equal(pool?.inputs.vmSize, 'Standard_DC4as_v6');
});

test('main() takes the configuration as structured stack config (sealed:config) too, and the entry module exports only that program', async (t) => {
  const { resources } = await installMocks();
  pulumi.runtime.setAllConfig({ 'sealed:config': JSON.stringify({ ...BASE, confidentialPool: { labels: { intelvm: 'sgx', team: 'ml' } } }) });
  t.after(() => pulumi.runtime.setAllConfig({}));
  const entry = await import('../../deploy/azure/index.ts');
  assert.deepEqual(Object.keys(entry), ['default']);
  const outputs = await entry.default();
  assert.equal(await valueOf(outputs.resourceGroupName!), 'rg-sealed');
  await valueOf(outputs.clusterName!);
  const deadline = Date.now() + 10_000;
  while (!resources.some((r) => r.type === 'azure-native:containerservice:AgentPool') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(resources.find((r) => r.type === 'azure-native:containerservice:AgentPool')?.inputs.nodeLabels, { intelvm: 'sgx', team: 'ml' });
});

test('a bad configuration throws before any resource is registered or any provider function called', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  t.after(() => pulumi.runtime.setAllConfig({}));
  // A configuration problem is a UsageError (exit 2); an unreadable file an IoError: one line each.
  const cases: Array<[Record<string, string>, RegExp, typeof SealedError]> = [
    [{ 'sealed:config': JSON.stringify({ ...BASE, confidentialPool: { vmSize: 'Standard_DC4as_v6' } }) }, /confidentialPool\.vmSize: 'Standard_DC4as_v6' \(DCasv6\) is a sev-snp size but tee is sgx/, UsageError],
    [{ 'sealed:config': JSON.stringify({ ...BASE, location: 'West Europe' }) }, /location: 'West Europe' is not an Azure region name/, UsageError],
    [{ 'sealed:configFile': join(dir, 'absent.yaml') }, /file not found/, IoError],
    [{}, /set sealed:configFile/, UsageError],
    [{ 'sealed:configFile': 'x.yaml', 'sealed:config': '{}' }, /both sealed:configFile and sealed:config are set/, UsageError],
    [{ 'sealed:config': '[not json' }, /sealed:config is not a JSON object/, UsageError],
  ];
  for (const [config, expected, kind] of cases) {
    const { resources, calls } = await installMocks();
    pulumi.runtime.setAllConfig(config);
    await assert.rejects(main(dir), (e: Error) => e instanceof kind && expected.test(e.message) && !e.message.includes('\n'), JSON.stringify(config));
    assert.deepEqual(resources, [], 'nothing registered');
    assert.deepEqual(calls, [], 'no provider function called');
  }
});
