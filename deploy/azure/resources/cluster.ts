// The AKS cluster: system-assigned managed identity, standard load balancer, one System-mode pool of
// general-purpose nodes, and for SGX the confidential-computing add-on with the quote helper
// (`az aks create --enable-addons confcom --enable-sgxquotehelper`: addon profile
// ACCSGXDevicePlugin, config ACCSGXQuoteHelperEnabled "true"; Microsoft Learn, "Quickstart: Deploy
// an AKS cluster with confidential computing Intel SGX agent nodes", and the managedClusters API's
// addonProfiles). The confidential pool is its own AgentPool resource (confidentialPool.ts).
// azure-native API docs: pulumi.com/registry/packages/azure-native/api-docs/containerservice/managedcluster/
import * as containerservice from '@pulumi/azure-native/containerservice/index.js';
import type * as resources from '@pulumi/azure-native/resources/index.js';
import { dnsPrefixFor, SYSTEM_POOL_NAME, type DeployConfig } from '../../../src/deploy/config/index.ts';

/** The SGX device plugin add-on; `config` values are strings in the API. */
export const SGX_ADDON = 'ACCSGXDevicePlugin';

export function cluster(config: DeployConfig, rg: resources.ResourceGroup): containerservice.ManagedCluster {
  const sgx = config.confidentialPool.tee === 'sgx';
  return new containerservice.ManagedCluster('cluster', {
    resourceGroupName: rg.name,
    resourceName: config.clusterName,
    location: config.location,
    dnsPrefix: dnsPrefixFor(config.clusterName),
    kubernetesVersion: config.kubernetesVersion,
    identity: { type: containerservice.ResourceIdentityType.SystemAssigned },
    enableRBAC: true,
    agentPoolProfiles: [
      {
        name: SYSTEM_POOL_NAME,
        mode: containerservice.AgentPoolMode.System,
        vmSize: config.systemPool.vmSize,
        count: config.systemPool.count,
        osType: containerservice.OSType.Linux,
        type: containerservice.AgentPoolType.VirtualMachineScaleSets,
      },
    ],
    // Azure CNI in overlay mode: kubenet, AKS's historical default, retires on 31 March 2028
    // (Microsoft Learn, "Azure Kubernetes Service (AKS) kubenet networking retirement").
    networkProfile: {
      loadBalancerSku: containerservice.LoadBalancerSku.Standard,
      networkPlugin: containerservice.NetworkPlugin.Azure,
      networkPluginMode: containerservice.NetworkPluginMode.Overlay,
    },
    addonProfiles: sgx ? { [SGX_ADDON]: { enabled: true, config: { ACCSGXQuoteHelperEnabled: 'true' } } } : undefined,
    tags: config.tags,
  });
}
