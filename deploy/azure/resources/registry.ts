// The container registry for the pipeline image, admin user off (pulls go through the kubelet's
// managed identity, pushes through `az acr build` with the user's Entra login: no shared
// password), and the AcrPull role for the cluster's kubelet identity on this registry only.
// azure-native API docs: pulumi.com/registry/packages/azure-native/api-docs/containerregistry/registry/
// and .../authorization/roleassignment/; role id: Microsoft Learn "Azure built-in roles" (AcrPull).
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization/index.js';
import * as containerregistry from '@pulumi/azure-native/containerregistry/index.js';
import type * as containerservice from '@pulumi/azure-native/containerservice/index.js';
import type * as resources from '@pulumi/azure-native/resources/index.js';
import { ACR_PULL_ROLE_ID, type DeployConfig } from '../../../src/deploy/config/index.ts';

export function registry(config: DeployConfig, rg: resources.ResourceGroup): containerregistry.Registry {
  return new containerregistry.Registry('registry', {
    resourceGroupName: rg.name,
    registryName: config.acr.name,
    location: config.location,
    sku: { name: config.acr.sku },
    adminUserEnabled: false,
    tags: config.tags,
  });
}

/** The kubelet identity's object id (identityProfile.kubeletidentity, filled in by AKS for a managed-identity cluster). */
export function kubeletObjectId(aks: containerservice.ManagedCluster): pulumi.Output<string> {
  return aks.identityProfile.apply((profile) => {
    const id = profile?.['kubeletidentity']?.objectId;
    if (!id) throw new Error('the AKS cluster reports no kubelet identity (identityProfile.kubeletidentity.objectId)');
    return id;
  });
}

export function acrPull(subscriptionId: pulumi.Input<string>, aks: containerservice.ManagedCluster, acr: containerregistry.Registry): authorization.RoleAssignment {
  return new authorization.RoleAssignment('kubelet-acr-pull', {
    principalId: kubeletObjectId(aks),
    // ServicePrincipal: a managed identity; saying so spares Azure the directory lookup that fails
    // for an identity created seconds ago (Microsoft Learn, "Assign Azure roles using the REST API":
    // principalType).
    principalType: authorization.PrincipalType.ServicePrincipal,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE_ID}`,
    scope: acr.id,
  });
}
