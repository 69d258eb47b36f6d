// Azure naming rules for the resources the kit creates, checked before anything reaches Azure so
// a bad name is one line naming the field instead of an ARM error halfway through `pulumi up`.
// Source: Microsoft's "Naming rules and restrictions for Azure resources"
// (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules):
//   resourcegroups                          1-90  alphanumerics, _ - . ( ); can't end with a period
//   Microsoft.ContainerService/managedClusters  1-63  alphanumerics, _ -; start and end alphanumeric
//   managedClusters/agentPools              1-12 (Linux)  lowercase letters and numbers; can't start with a number
//   Microsoft.ContainerRegistry/registries  5-50  alphanumerics
//   Microsoft.KeyVault/vaults               3-24  alphanumerics and -; start with a letter, end with a
//                                           letter or digit, no consecutive hyphens
// Attestation providers are not on that page; Microsoft's quickstart template
// (Azure/azure-quickstart-templates quickstarts/microsoft.attestation/attestation-provider-create)
// states "between 3 and 24 characters in length and use numbers and lower-case letters only".
//
// Where Microsoft allows Unicode letters (resource groups), the kit accepts ASCII only: a name
// shows up in commands, logs and the portal, and look-alike letters there are a spoofing aid.

/** A problem with `name` as an Azure resource group name, or undefined. */
export function resourceGroupProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 90) return 'must be 1-90 characters';
  if (!/^[A-Za-z0-9_.()-]+$/.test(name)) return 'may hold only letters, digits, _ - . ( and )';
  if (name.endsWith('.')) return 'must not end with a period';
  return undefined;
}

/** AKS cluster (managedClusters) name. */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 63) return 'must be 1-63 characters';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'may hold only letters, digits, _ and -';
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) return 'must start and end with a letter or digit';
  return undefined;
}

/** AKS Linux node pool (agentPools) name. */
export function nodePoolNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 12) return 'must be 1-12 characters (Linux node pool)';
  if (!/^[a-z0-9]+$/.test(name)) return 'may hold only lowercase letters and digits';
  if (!/^[a-z]/.test(name)) return 'must start with a lowercase letter';
  return undefined;
}

/** Container registry name (global: it becomes <name>.azurecr.io). */
export function registryNameProblem(name: string): string | undefined {
  if (name.length < 5 || name.length > 50) return 'must be 5-50 characters';
  if (!/^[A-Za-z0-9]+$/.test(name)) return 'may hold only letters and digits';
  return undefined;
}

/** Key Vault name (global: it becomes https://<name>.vault.azure.net). */
export function keyVaultNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 24) return 'must be 3-24 characters';
  if (!/^[A-Za-z0-9-]+$/.test(name)) return 'may hold only letters, digits and -';
  if (!/^[A-Za-z]/.test(name)) return 'must start with a letter';
  if (!/[A-Za-z0-9]$/.test(name)) return 'must end with a letter or digit';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  return undefined;
}

/** Attestation provider name (it becomes https://<name>.<region-short>.attest.azure.net). */
export function attestationNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 24) return 'must be 3-24 characters';
  if (!/^[a-z0-9]+$/.test(name)) return 'may hold only lowercase letters and digits';
  return undefined;
}

/**
 * The AKS DNS prefix derived from a cluster name: AKS takes 1-54 letters, digits and hyphens,
 * starting and ending with a letter or digit (Microsoft.ContainerService managedClusters
 * properties.dnsPrefix, "az aks create --dns-name-prefix"). A cluster name may hold underscores,
 * which become hyphens.
 */
export function dnsPrefixFor(clusterName: string): string {
  return clusterName.replace(/_/g, '-').slice(0, 54).replace(/-+$/, '');
}

// Azure tags ("Use tags to organize your Azure resources", tag-resources#limitations): at most 50
// per resource, name <= 512 characters (storage accounts: 128), value <= 256; names can't hold
// < > % & \ ? /. The kit also refuses control characters, which no portal shows.
export const MAX_TAGS = 50;
export function tagNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 128) return 'must be 1-128 characters';
  // eslint-disable-next-line no-control-regex
  if (/[<>%&\\?/\x00-\x1f\x7f]/.test(name)) return 'must not contain < > % & \\ ? / or control characters';
  return undefined;
}
export function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return 'must be at most 256 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'must not contain control characters';
  return undefined;
}
