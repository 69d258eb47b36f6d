// The hourly cost of a deploy configuration: one Retail Prices query per metered item, one meter
// chosen per item only when the answer leaves no doubt, and totals over the items found.
import type { DeployConfig } from '../config/index.ts';
import { costItems, hoursPerUnit, type CostItem, type CostItemId } from './meters.ts';
import { queryRetailPrices, RETAIL_PRICES_ORIGIN, type RetailPrice, type RetailPricesOptions } from './retailPrices.ts';

/** Hours in the "per 30 days" column. */
export const HOURS_PER_30_DAYS = 720;

export interface CostLine {
  id: CostItemId;
  label: string;
  quantity: number;
  status: 'priced' | 'free' | 'perUse' | 'notFound';
  /** Price of one unit of the meter, and its unit ('1 Hour', '1/Day'), when priced. */
  unitPrice?: number;
  unit?: string;
  perHour?: number;
  /** serviceName / productName / skuName / meterName of the meter used (from the API: print with printable). */
  meter?: string;
  effectiveStartDate?: string;
  note?: string;
}

export interface CostEstimate {
  /** When the prices were read (ISO 8601). */
  date: string;
  location: string;
  currency: string;
  source: string;
  lines: CostLine[];
  /** Sum over the priced lines; `complete` says whether every metered line was priced. */
  totalPerHour: number;
  totalPer30Days: number;
  complete: boolean;
}

export interface EstimateOptions extends RetailPricesOptions {
  now?: () => Date;
}

export async function estimateCost(config: DeployConfig, options: EstimateOptions): Promise<CostEstimate> {
  const date = (options.now ?? (() => new Date()))().toISOString();
  // The queries run one after another: five small requests, and a public API is not hammered.
  const lines: CostLine[] = [];
  for (const item of costItems(config)) lines.push(await priceItem(item, options));
  const totalPerHour = lines.reduce((sum, l) => sum + (l.perHour ?? 0), 0);
  return {
    date,
    location: config.location,
    currency: options.currency,
    source: `${options.origin ?? RETAIL_PRICES_ORIGIN}/api/retail/prices`,
    lines,
    totalPerHour,
    totalPer30Days: totalPerHour * HOURS_PER_30_DAYS,
    complete: lines.every((l) => l.status !== 'notFound'),
  };
}

async function priceItem(item: CostItem, options: RetailPricesOptions): Promise<CostLine> {
  const base = { id: item.id, label: item.label, quantity: item.quantity, ...(item.note !== undefined ? { note: item.note } : {}) };
  if (item.kind === 'free') return { ...base, status: 'free', unitPrice: 0, perHour: 0 };
  if (item.kind === 'perUse' || item.query === undefined) return { ...base, status: 'perUse' };
  const answer = await queryRetailPrices(item.query.filter, options);
  const chosen = chooseMeter(answer.filter(item.query.accept));
  if (typeof chosen === 'string') return { ...base, status: 'notFound', note: `${chosen}: ${item.query.wanted}` };
  const hours = hoursPerUnit(chosen.unitOfMeasure);
  if (hours === undefined) return { ...base, status: 'notFound', meter: meterName(chosen), note: `the meter is billed per ${chosen.unitOfMeasure}, not per hour or day` };
  return {
    ...base,
    status: 'priced',
    unitPrice: chosen.retailPrice,
    unit: chosen.unitOfMeasure,
    perHour: (chosen.retailPrice * item.quantity) / hours,
    meter: meterName(chosen),
    ...(chosen.effectiveStartDate ? { effectiveStartDate: chosen.effectiveStartDate } : {}),
  };
}

/** The one meter among the accepted ones, or why there is none: several with different prices are not guessed between. */
export function chooseMeter(accepted: RetailPrice[]): RetailPrice | string {
  if (accepted.length === 0) return 'no meter in the answer';
  // The preview API version also returns non-primary meters of a region; the primary one is the price.
  const primary = accepted.filter((p) => p.isPrimaryMeterRegion !== false);
  const pool = primary.length > 0 ? primary : accepted;
  const prices = new Set(pool.map((p) => p.retailPrice));
  if (prices.size > 1) return `${pool.length} meters with different prices (${[...prices].sort((a, b) => a - b).join(', ')}), none chosen`;
  const units = new Set(pool.map((p) => p.unitOfMeasure));
  if (units.size > 1) return `${pool.length} meters with different units (${[...units].join(', ')}), none chosen`;
  return pool[0];
}

function meterName(p: RetailPrice): string {
  return [p.serviceName, p.productName, p.skuName, p.meterName].join(' / ');
}
