// The whole stack for one checked deploy configuration: resource group, AKS cluster with its
// confidential pool, registry with AcrPull for the kubelet, optional Key Vault and attestation
// provider. Returns the stack outputs (names in src/deploy/config/pulumiContract.ts).
import type * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import type { DeployConfig, StackOutputName } from '../../src/deploy/config/index.ts';
import { attestationProvider } from './resources/attestation.ts';
import { cluster } from './resources/cluster.ts';
import { confidentialPool } from './resources/confidentialPool.ts';
import { keyVault } from './resources/keyVault.ts';
import { acrPull, registry } from './resources/registry.ts';
import { resourceGroup } from './resources/resourceGroup.ts';

export type StackOutputs = Partial<Record<StackOutputName, pulumi.Output<string>>>;

export interface DefinedStack {
  outputs: StackOutputs;
  /** Every resource registered, in order (tests wait for their URNs). */
  resources: pulumi.CustomResource[];
}

export function defineStack(config: DeployConfig): DefinedStack {
  // Subscription and tenant of the credentials Pulumi runs with (az login): the role definition
  // id and the vault's tenant come from them, never from the configuration file.
  const client = authorization.getClientConfigOutput();
  const rg = resourceGroup(config);
  const aks = cluster(config, rg);
  const pool = confidentialPool(config, rg, aks);
  const acr = registry(config, rg);
  const pull = acrPull(client.subscriptionId, aks, acr);
  const vault = keyVault(config, rg, client.tenantId);
  const maa = attestationProvider(config, rg);

  const outputs: StackOutputs = {
    clusterName: aks.name,
    resourceGroupName: rg.name,
    acrLoginServer: acr.loginServer,
  };
  if (vault) outputs.keyVaultUri = vault.properties.apply((p) => p.vaultUri ?? '');
  if (maa) outputs.attestationUri = maa.attestUri.apply((u) => u ?? '');
  const resources: pulumi.CustomResource[] = [rg, aks, pool, acr, pull];
  if (vault) resources.push(vault);
  if (maa) resources.push(maa);
  return { outputs, resources };
}
