// Deploy configuration: schema, loading, Azure catalogues and the Pulumi program's contract.
export { deployConfigSchema, DEFAULT_POOL_LABELS, DEFAULT_POOL_NAME, SYSTEM_POOL_NAME, MAX_SYSTEM_NODES, MAX_CONFIDENTIAL_NODES, MAX_POOL_LABELS, type DeployConfig, type DeployConfigInput } from './schema.ts';
export { loadDeployConfig, parseDeployConfig, deployConfigWarnings, MAX_CONFIG_BYTES, type DeployWarning, type LoadedDeployConfig } from './load.ts';
export { AZURE_REGIONS, isAzureRegion, regionForDisplayName } from './regions.ts';
export { CONFIDENTIAL_FAMILIES, CLOSING_FAMILIES, DEFAULT_CONFIDENTIAL_SIZE, TEES, confidentialFamilyOf, canonicalConfidentialSize, isSgxSize, familiesOf, type Tee, type VmFamily } from './vmSizes.ts';
export { dnsPrefixFor, resourceGroupProblem, clusterNameProblem, nodePoolNameProblem, registryNameProblem, keyVaultNameProblem, attestationNameProblem } from './azureNames.ts';
export { PULUMI_PROJECT, PULUMI_CONFIG_NAMESPACE, PULUMI_CONFIG_FILE_KEY, PULUMI_CONFIG_OBJECT_KEY, STACK_OUTPUTS, ACR_PULL_ROLE_ID, pulumiConfigFileArgs, type StackOutputName } from './pulumiContract.ts';
