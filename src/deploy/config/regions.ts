// Azure public-cloud region names as `az account list-locations --query "[].name"` prints them and
// as ARM's `location` takes them: the "Programmatic name" column of Microsoft's "Azure regions list"
// (https://learn.microsoft.com/azure/reliability/regions-list, MicrosoftDocs/reliability-docs
// articles/reliability/regions-list.md, ms.date 09/23/2025). Restricted-access regions are listed
// (a subscription may have been granted them); sovereign clouds (US Gov, China) are not, since the
// kit targets the public cloud. A region Microsoft opens later is one line here.

export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast',
  'belgiumcentral', 'brazilsouth', 'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia',
  'centralus', 'chilecentral', 'denmarkeast', 'eastasia', 'eastus', 'eastus2', 'francecentral',
  'francesouth', 'germanynorth', 'germanywestcentral', 'indonesiacentral', 'israelcentral',
  'italynorth', 'japaneast', 'japanwest', 'koreacentral', 'koreasouth', 'malaysiawest',
  'mexicocentral', 'newzealandnorth', 'northcentralus', 'northeurope', 'norwayeast', 'norwaywest',
  'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest', 'southcentralus',
  'southindia', 'southeastasia', 'spaincentral', 'swedencentral', 'switzerlandnorth',
  'switzerlandwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope',
  'westindia', 'westus', 'westus2', 'westus3',
];

const REGION_SET: ReadonlySet<string> = new Set(AZURE_REGIONS);

export function isAzureRegion(name: string): boolean {
  return REGION_SET.has(name);
}

/**
 * The programmatic name a display name such as "West Europe" stands for ("westeurope"), when it is
 * one: the portal and pricing pages show display names, ARM takes only programmatic ones.
 */
export function regionForDisplayName(name: string): string | undefined {
  const squeezed = name.toLowerCase().replace(/[\s_-]+/g, '');
  return REGION_SET.has(squeezed) ? squeezed : undefined;
}
