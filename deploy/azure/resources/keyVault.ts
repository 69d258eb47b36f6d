// Optional Key Vault for the sealed-artifact key-encryption keys: Premium (HSM-backed keys, which
// Secure Key Release needs), Azure RBAC instead of access policies, soft delete with purge
// protection (a deleted key stays recoverable for 90 days and cannot be purged early, so no one
// can destroy the keys sealed artifacts depend on).
// azure-native API docs: pulumi.com/registry/packages/azure-native/api-docs/keyvault/vault/
import type * as pulumi from '@pulumi/pulumi';
import * as keyvault from '@pulumi/azure-native/keyvault/index.js';
import type * as resources from '@pulumi/azure-native/resources/index.js';
import type { DeployConfig } from '../../../src/deploy/config/index.ts';

export function keyVault(config: DeployConfig, rg: resources.ResourceGroup, tenantId: pulumi.Input<string>): keyvault.Vault | undefined {
  if (!config.keyVault) return undefined;
  return new keyvault.Vault('key-vault', {
    resourceGroupName: rg.name,
    vaultName: config.keyVault.name,
    location: config.location,
    properties: {
      tenantId,
      sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Premium },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enablePurgeProtection: true,
    },
    tags: config.tags,
  });
}
