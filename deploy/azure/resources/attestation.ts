// Optional Microsoft Azure Attestation provider: the authority a Secure Key Release policy names
// (src/seal/azure). Created with its default policies; the sealed-artifact policy is set by the
// sealing tools, not here.
// azure-native API docs: pulumi.com/registry/packages/azure-native/api-docs/attestation/attestationprovider/
import * as attestation from '@pulumi/azure-native/attestation/index.js';
import type * as resources from '@pulumi/azure-native/resources/index.js';
import type { DeployConfig } from '../../../src/deploy/config/index.ts';

export function attestationProvider(config: DeployConfig, rg: resources.ResourceGroup): attestation.AttestationProvider | undefined {
  if (!config.attestation) return undefined;
  return new attestation.AttestationProvider('attestation', {
    resourceGroupName: rg.name,
    providerName: config.attestation.name,
    location: config.location,
    properties: {},
    tags: config.tags,
  });
}
