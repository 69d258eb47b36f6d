// A local stand-in for https://prices.azure.com/api/retail/prices, for `sealed deploy cost` tests.
// Its answers follow the response shape documented on Microsoft Learn, "Azure Retail Prices
// overview" (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices):
// { BillingCurrency, CustomerEntityId, CustomerEntityType, Items: [{ currencyCode, tierMinimumUnits,
// retailPrice, unitPrice, armRegionName, location, effectiveStartDate, meterId, meterName, productId,
// skuId, productName, skuName, serviceName, serviceId, serviceFamily, unitOfMeasure, type,
// isPrimaryMeterRegion, armSkuName }], NextPageLink, Count }. Its $filter evaluator knows only
// `field eq 'value'` joined by `and` (what the client sends), case-sensitive like the 2023-01-01-preview
// API version, with priceType matching the items' `type`. Prices here are illustrative, not Azure's.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DoubleItem {
  serviceName: string;
  productName: string;
  skuName: string;
  meterName: string;
  armSkuName?: string;
  retailPrice: unknown;
  unitOfMeasure: string;
  type?: string;
  armRegionName?: string;
  isPrimaryMeterRegion?: boolean;
  currencyCode?: string;
  tierMinimumUnits?: number;
}

/** Answers for one request: the default evaluates the filter over `items`. */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface PricesDouble {
  origin: string;
  requests: URL[];
  close(): Promise<void>;
}

export function documentedItem(i: DoubleItem, currency = 'USD'): Record<string, unknown> {
  return {
    currencyCode: i.currencyCode ?? currency,
    tierMinimumUnits: i.tierMinimumUnits ?? 0,
    retailPrice: i.retailPrice,
    unitPrice: i.retailPrice,
    armRegionName: i.armRegionName ?? 'westeurope',
    location: 'EU West',
    effectiveStartDate: '2026-10-01T00:00:00Z',
    meterId: '00000000-0000-0000-0000-000000000000',
    meterName: i.meterName,
    productId: 'DZH318Z0BQ4L',
    skuId: 'DZH318Z0BQ4L/0001',
    productName: i.productName,
    skuName: i.skuName,
    serviceName: i.serviceName,
    serviceId: 'DZH313Z7MMC8',
    serviceFamily: 'Compute',
    unitOfMeasure: i.unitOfMeasure,
    type: i.type ?? 'Consumption',
    isPrimaryMeterRegion: i.isPrimaryMeterRegion ?? true,
    armSkuName: i.armSkuName ?? '',
  };
}

/** The eq clauses of a filter the client builds; anything else is a 400 like the real API's. */
export function parseFilter(filter: string): Map<string, string> | undefined {
  const clauses = new Map<string, string>();
  for (const part of filter.split(' and ')) {
    const m = /^([A-Za-z]+) eq '([^']*)'$/.exec(part.trim());
    if (!m) return undefined;
    clauses.set(m[1] === 'priceType' ? 'type' : m[1], m[2]);
  }
  return clauses;
}

export function pageBody(items: Record<string, unknown>[], next: string | null, currency = 'USD'): string {
  return JSON.stringify({ BillingCurrency: currency, CustomerEntityId: 'Default', CustomerEntityType: 'Retail', Items: items, NextPageLink: next, Count: items.length });
}

/** A catalogue double: each query answers the matching items, on one page. */
export function catalogueHandler(items: DoubleItem[]): Handler {
  return (_req, res, url) => {
    const currency = (url.searchParams.get('currencyCode') ?? "'USD'").replace(/'/g, '');
    const clauses = parseFilter(url.searchParams.get('$filter') ?? '');
    if (!clauses) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"Error":{"Code":"InvalidFilter"}}');
      return;
    }
    const docs = items.map((i) => documentedItem(i, currency)).filter((d) => [...clauses].every(([k, v]) => d[k] === v));
    res.writeHead(200, { 'content-type': 'application/json' }).end(pageBody(docs, null, currency));
  };
}

export async function startDouble(handler: Handler): Promise<PricesDouble> {
  const requests: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    handler(req, res, url);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Illustrative meters of westeurope for the default configuration, with the decoys a query also returns. */
export const WESTEUROPE: DoubleItem[] = [
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines Dv5 Series', skuName: 'D4 v5', meterName: 'D4 v5', armSkuName: 'Standard_D4_v5', retailPrice: 0.2, unitOfMeasure: '1 Hour' },
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines Dv5 Series Windows', skuName: 'D4 v5', meterName: 'D4 v5', armSkuName: 'Standard_D4_v5', retailPrice: 0.38, unitOfMeasure: '1 Hour' },
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines Dv5 Series', skuName: 'D4 v5 Spot', meterName: 'D4 v5 Spot', armSkuName: 'Standard_D4_v5', retailPrice: 0.04, unitOfMeasure: '1 Hour' },
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines Dv5 Series', skuName: 'D4 v5 Low Priority', meterName: 'D4 v5 Low Priority', armSkuName: 'Standard_D4_v5', retailPrice: 0.04, unitOfMeasure: '1 Hour' },
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines Dv5 Series', skuName: 'D4 v5', meterName: 'D4 v5', armSkuName: 'Standard_D4_v5', retailPrice: 0.15, unitOfMeasure: '1 Hour', type: 'DevTestConsumption' },
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines DCsv3 Series', skuName: 'DC4s v3', meterName: 'DC4s v3', armSkuName: 'Standard_DC4s_v3', retailPrice: 0.5, unitOfMeasure: '1 Hour' },
  { serviceName: 'Virtual Machines', productName: 'Virtual Machines DCsv3 Series Windows', skuName: 'DC4s v3', meterName: 'DC4s v3', armSkuName: 'Standard_DC4s_v3', retailPrice: 0.68, unitOfMeasure: '1 Hour' },
  { serviceName: 'Container Registry', productName: 'Container Registry', skuName: 'Standard', meterName: 'Standard Registry Unit', retailPrice: 0.6, unitOfMeasure: '1/Day' },
  { serviceName: 'Container Registry', productName: 'Container Registry', skuName: 'Premium', meterName: 'Premium Registry Unit', retailPrice: 1.5, unitOfMeasure: '1/Day' },
  { serviceName: 'Load Balancer', productName: 'Load Balancer', skuName: 'Standard', meterName: 'Standard Included LB Rules and Outbound Rules', retailPrice: 0.025, unitOfMeasure: '1 Hour' },
  { serviceName: 'Load Balancer', productName: 'Load Balancer', skuName: 'Standard', meterName: 'Standard Overage LB Rules and Outbound Rules', retailPrice: 0.01, unitOfMeasure: '1 Hour' },
  { serviceName: 'Load Balancer', productName: 'Load Balancer', skuName: 'Standard', meterName: 'Standard Data Processed', retailPrice: 0.005, unitOfMeasure: '1 GB' },
  { serviceName: 'Virtual Network', productName: 'IP Addresses', skuName: 'Standard', meterName: 'Standard IPv4 Static Public IP', retailPrice: 0.005, unitOfMeasure: '1 Hour' },
  { serviceName: 'Virtual Network', productName: 'IP Addresses', skuName: 'Basic', meterName: 'Basic IPv4 Static Public IP', retailPrice: 0.0036, unitOfMeasure: '1 Hour' },
];
