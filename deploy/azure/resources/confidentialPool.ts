// The confidential node pool (User mode): the configuration's size, count and labels. Pods of
// the pipeline find it by the labels (intelvm=sgx for SGX, as in the reference tutorial's
// `az aks nodepool add --labels intelvm=sgx`).
// azure-native API docs: pulumi.com/registry/packages/azure-native/api-docs/containerservice/agentpool/
import * as containerservice from '@pulumi/azure-native/containerservice/index.js';
import type * as resources from '@pulumi/azure-native/resources/index.js';
import type { DeployConfig } from '../../../src/deploy/config/index.ts';

export function confidentialPool(config: DeployConfig, rg: resources.ResourceGroup, aks: containerservice.ManagedCluster): containerservice.AgentPool {
  const pool = config.confidentialPool;
  return new containerservice.AgentPool('confidential-pool', {
    resourceGroupName: rg.name,
    resourceName: aks.name,
    agentPoolName: pool.name,
    mode: containerservice.AgentPoolMode.User,
    vmSize: pool.vmSize,
    count: pool.count,
    osType: containerservice.OSType.Linux,
    type: containerservice.AgentPoolType.VirtualMachineScaleSets,
    nodeLabels: pool.labels,
    tags: config.tags,
  });
}
