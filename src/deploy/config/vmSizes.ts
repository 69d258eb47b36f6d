// Which trusted execution environment (TEE) each confidential-computing VM size gives, so a
// configuration cannot ask for SGX nodes on an AMD SEV-SNP size (the pods needing
// sgx.intel.com/epc would never be scheduled) or the other way round.
//
// Families and sizes follow Microsoft's size pages (learn.microsoft.com/azure/virtual-machines/sizes/
// general-purpose/: dcsv3-series, dcdsv3-series (Intel SGX application enclaves), dcasv5-series,
// dcadsv5-series, dcasv6-series, dcadsv6-series (AMD SEV-SNP confidential VMs), dcesv5-series,
// dcedsv5-series, dcesv6-series, dcedsv6-series (Intel TDX confidential VMs)), restricted to the
// sizes AKS offers as node sizes (the generated list in microsoft/aspire
// src/Aspire.Hosting.Azure.Kubernetes/AksNodeVmSizes.cs, families standardDCSv3Family ...
// standardDCEDV6Family): AKS nodes need at least 2 vCPUs, so Standard_DC1s_v3/DC1ds_v3 are absent.

export type Tee = 'sgx' | 'sev-snp' | 'tdx';
export const TEES: readonly Tee[] = ['sgx', 'sev-snp', 'tdx'];

export interface VmFamily {
  family: string;
  tee: Tee;
  sizes: readonly string[];
}

const sizes = (vcpus: readonly number[], suffix: string): string[] => vcpus.map((n) => `Standard_DC${n}${suffix}`);
const V3 = [2, 4, 8, 16, 24, 32, 48];
const V5 = [2, 4, 8, 16, 32, 48, 64, 96];

export const CONFIDENTIAL_FAMILIES: readonly VmFamily[] = [
  { family: 'DCsv3', tee: 'sgx', sizes: sizes(V3, 's_v3') },
  { family: 'DCdsv3', tee: 'sgx', sizes: sizes(V3, 'ds_v3') },
  { family: 'DCasv5', tee: 'sev-snp', sizes: sizes(V5, 'as_v5') },
  { family: 'DCadsv5', tee: 'sev-snp', sizes: sizes(V5, 'ads_v5') },
  { family: 'DCasv6', tee: 'sev-snp', sizes: sizes(V5, 'as_v6') },
  { family: 'DCadsv6', tee: 'sev-snp', sizes: sizes(V5, 'ads_v6') },
  { family: 'DCesv5', tee: 'tdx', sizes: sizes(V5, 'es_v5') },
  { family: 'DCedsv5', tee: 'tdx', sizes: sizes(V5, 'eds_v5') },
  { family: 'DCesv6', tee: 'tdx', sizes: sizes([...V5, 128], 'es_v6') },
  { family: 'DCedsv6', tee: 'tdx', sizes: sizes([...V5, 128], 'eds_v6') },
];

/**
 * Families closing to new subscriptions: DCsv3/DCdsv3 take no new subscriptions from 1 Nov 2026
 * and retire 31 Oct 2029 (the project's fact sheet, shared/docs/security-and-azure.md, from
 * Microsoft's retirement notice). A configuration using them gets a warning, not an error:
 * existing subscriptions keep their quota.
 */
export const CLOSING_FAMILIES: ReadonlySet<string> = new Set(['DCsv3', 'DCdsv3']);

const BY_SIZE = new Map<string, VmFamily>();
for (const f of CONFIDENTIAL_FAMILIES) for (const s of f.sizes) BY_SIZE.set(s.toLowerCase(), f);
const CANONICAL = new Map<string, string>();
for (const f of CONFIDENTIAL_FAMILIES) for (const s of f.sizes) CANONICAL.set(s.toLowerCase(), s);

/** The confidential family of a size (ARM compares size names without case), or undefined. */
export function confidentialFamilyOf(vmSize: string): VmFamily | undefined {
  return BY_SIZE.get(vmSize.toLowerCase());
}

/** The catalogue's spelling of a confidential size given in any case. */
export function canonicalConfidentialSize(vmSize: string): string | undefined {
  return CANONICAL.get(vmSize.toLowerCase());
}

/** Any SGX (DCsv3/DCdsv3) size, listed or not (Standard_DC1s_v3 is an SGX size AKS does not offer). */
export function isSgxSize(vmSize: string): boolean {
  return /^Standard_DC\d+d?s_v3$/i.test(vmSize);
}

/** The size every TEE defaults to: 4 vCPUs, the reference pipeline's Standard_DC4s_v3 and its successors. */
export const DEFAULT_CONFIDENTIAL_SIZE: Readonly<Record<Tee, string>> = {
  sgx: 'Standard_DC4s_v3',
  'sev-snp': 'Standard_DC4as_v6',
  tdx: 'Standard_DC4es_v6',
};

/** Families of one TEE, for messages ("DCasv5, DCadsv5, DCasv6, DCadsv6"). */
export function familiesOf(tee: Tee): string[] {
  return CONFIDENTIAL_FAMILIES.filter((f) => f.tee === tee).map((f) => f.family);
}
