// What a deploy configuration bills while the cluster exists, and which retail meter prices each
// part. Meter names are those the Retail Prices API returns (Microsoft Learn, "Azure Retail Prices
// overview": serviceName, productName, skuName, meterName, unitOfMeasure, type); a meter that is not
// in the answer is reported as not found, never replaced by a near one.
import type { DeployConfig } from '../config/index.ts';
import { odataString, type RetailPrice } from './retailPrices.ts';

export type CostItemId = 'systemPool' | 'confidentialPool' | 'aks' | 'acr' | 'loadBalancer' | 'publicIps' | 'keyVault' | 'attestation';

export interface MeterQuery {
  /** The $filter sent (values case-sensitive). */
  filter: string;
  /** Whether an item of the answer is the meter wanted. */
  accept: (p: RetailPrice) => boolean;
  /** The meter wanted, in words, for "not found". */
  wanted: string;
}

export interface CostItem {
  id: CostItemId;
  label: string;
  quantity: number;
  /** 'metered': priced from `query`; 'free': no charge; 'perUse': billed per key/operation, no hourly figure. */
  kind: 'metered' | 'free' | 'perUse';
  query?: MeterQuery;
  note?: string;
}

/** Public IPs the stack holds: AKS's outbound address and the Kubeflow gateway's load balancer address. */
export const PUBLIC_IPS = 2;

const eq = (field: string, value: string) => `${field} eq ${odataString(value)}`;
const consumption = (p: RetailPrice) => p.type === 'Consumption' && p.tierMinimumUnits === 0;

/** ARM spells sizes Standard_<size>; the config accepts any case, the API's filter does not. */
export function armSkuSpelling(size: string): string {
  return size.replace(/^standard_/i, 'Standard_');
}

function vmQuery(location: string, size: string): MeterQuery {
  const sku = armSkuSpelling(size);
  return {
    filter: [eq('serviceName', 'Virtual Machines'), eq('armRegionName', location), eq('armSkuName', sku), eq('priceType', 'Consumption')].join(' and '),
    // Linux pay-as-you-go: Windows meters add the licence; Spot and Low Priority can be evicted.
    accept: (p) =>
      consumption(p) &&
      p.serviceName === 'Virtual Machines' &&
      p.armSkuName === sku &&
      !/windows/i.test(p.productName) &&
      !/spot|low priority/i.test(`${p.skuName} ${p.meterName}`),
    wanted: `${sku} Linux pay-as-you-go (not Windows, Spot or Low Priority)`,
  };
}

/** The items of `config`, in the order the table shows them. */
export function costItems(config: DeployConfig): CostItem[] {
  const loc = config.location;
  const sys = config.systemPool;
  const cc = config.confidentialPool;
  const sku = config.acr.sku;
  const items: CostItem[] = [
    { id: 'systemPool', label: `system pool, ${sys.count} x ${sys.vmSize}`, quantity: sys.count, kind: 'metered', query: vmQuery(loc, sys.vmSize) },
    { id: 'confidentialPool', label: `confidential pool ${cc.name}, ${cc.count} x ${cc.vmSize}`, quantity: cc.count, kind: 'metered', query: vmQuery(loc, cc.vmSize) },
    // The kit creates the cluster without a tier, and AKS's default is Free ("Free, Standard, and
    // Premium pricing tiers for AKS cluster management"; ManagedClusterSkuTier: default 'Free').
    { id: 'aks', label: 'AKS cluster management, Free tier', quantity: 1, kind: 'free', note: 'no charge; the nodes, disks and network are billed' },
    {
      id: 'acr',
      label: `container registry ${config.acr.name}, ${sku}`,
      quantity: 1,
      kind: 'metered',
      query: {
        filter: [eq('serviceName', 'Container Registry'), eq('armRegionName', loc), eq('skuName', sku), eq('priceType', 'Consumption')].join(' and '),
        accept: (p) => consumption(p) && p.serviceName === 'Container Registry' && p.skuName === sku && p.meterName === `${sku} Registry Unit`,
        wanted: `'${sku} Registry Unit' (per day)`,
      },
    },
    {
      id: 'loadBalancer',
      label: 'Standard load balancer (first 5 rules)',
      quantity: 1,
      kind: 'metered',
      note: 'data processed is billed per GB on top',
      query: {
        filter: [eq('serviceName', 'Load Balancer'), eq('armRegionName', loc), eq('priceType', 'Consumption')].join(' and '),
        accept: (p) => consumption(p) && p.serviceName === 'Load Balancer' && p.meterName === 'Standard Included LB Rules and Outbound Rules',
        wanted: "'Standard Included LB Rules and Outbound Rules'",
      },
    },
    {
      id: 'publicIps',
      label: `Standard static public IPv4 addresses (outbound, gateway)`,
      quantity: PUBLIC_IPS,
      kind: 'metered',
      query: {
        filter: [eq('serviceName', 'Virtual Network'), eq('armRegionName', loc), eq('productName', 'IP Addresses'), eq('priceType', 'Consumption')].join(' and '),
        accept: (p) => consumption(p) && p.productName === 'IP Addresses' && p.meterName === 'Standard IPv4 Static Public IP',
        wanted: "'Standard IPv4 Static Public IP'",
      },
    },
  ];
  if (config.keyVault) items.push({ id: 'keyVault', label: `Key Vault ${config.keyVault.name}, Premium`, quantity: 1, kind: 'perUse', note: 'billed per key per month and per 10,000 operations' });
  if (config.attestation) items.push({ id: 'attestation', label: `attestation provider ${config.attestation.name}`, quantity: 1, kind: 'perUse', note: 'billed per attestation' });
  return items;
}

/** Hours one unit of the meter covers: '1 Hour' → 1, '1/Day' → 24; undefined for units not per time (GB, operations). */
export function hoursPerUnit(unitOfMeasure: string): number | undefined {
  const u = unitOfMeasure.trim().toLowerCase();
  if (u === '1 hour' || u === '1/hour') return 1;
  if (u === '1 day' || u === '1/day') return 24;
  return undefined;
}
