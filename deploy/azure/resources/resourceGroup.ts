// The resource group everything else lives in, named by the configuration (no auto-naming suffix:
// `sealed deploy down` and the docs name it, and Azure's portal shows it).
// azure-native API docs: pulumi.com/registry/packages/azure-native/api-docs/resources/resourcegroup/
import * as resources from '@pulumi/azure-native/resources/index.js';
import type { DeployConfig } from '../../../src/deploy/config/index.ts';

export function resourceGroup(config: DeployConfig): resources.ResourceGroup {
  return new resources.ResourceGroup('resource-group', {
    resourceGroupName: config.resourceGroup,
    location: config.location,
    tags: config.tags,
  });
}
