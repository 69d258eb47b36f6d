// A client for the public Azure Retail Prices API (Microsoft Learn, "Azure Retail Prices overview",
// https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices): no login,
// `GET https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&currencyCode='EUR'
// &$filter=...`, pages of `Items` chained by `NextPageLink`. Filter values are case-sensitive from
// 2023-01-01-preview on. The host is fixed: a test alone passes the origin of a local double
// (RetailPricesOptions.origin); no CLI flag or config field can point the client elsewhere.
// The answer is outside input: every page is size-capped, every link checked before it is
// followed, every price checked before it is multiplied.
import { DataError } from '../../core/errors.ts';
import { excerpt } from '../../core/excerpt.ts';
import { networkReason } from '../../core/networkReason.ts';

export const RETAIL_PRICES_ORIGIN = 'https://prices.azure.com';
export const RETAIL_PRICES_PATH = '/api/retail/prices';
export const RETAIL_PRICES_API_VERSION = '2023-01-01-preview';
/** A filtered query of this kit returns a few dozen meters (one page of up to 1,000); 5 pages is already a runaway. */
export const MAX_PRICE_PAGES = 5;
/** A page of 1,000 items is about 600 KB of JSON; 4 MiB refuses a server that streams without end. */
export const MAX_PRICE_PAGE_BYTES = 4 * 1024 * 1024;
/** For all pages of one query together. */
export const PRICES_TIMEOUT_MS = 30_000;
const MAX_LINK_CHARS = 4096;

/** The fields of one `Items[]` entry this kit reads (the page documents more). */
export interface RetailPrice {
  retailPrice: number;
  currencyCode: string;
  unitOfMeasure: string;
  armRegionName: string;
  armSkuName: string;
  productName: string;
  skuName: string;
  meterName: string;
  serviceName: string;
  type: string;
  /** Absent in older API versions; the preview version returns non-primary meters too. */
  isPrimaryMeterRegion: boolean | undefined;
  tierMinimumUnits: number;
  effectiveStartDate: string;
}

export interface RetailPricesOptions {
  /** ISO 4217 code, already checked (currencyProblem). */
  currency: string;
  /** Tests only: the origin of a local double, e.g. http://127.0.0.1:PORT. */
  origin?: string;
  /** Tests only; the global fetch (undici) otherwise. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxPages?: number;
  maxPageBytes?: number;
}

/** Why a currency code is refused, or undefined: three letters (ISO 4217 form; the API lists the ones it supports). */
export function currencyProblem(code: string): string | undefined {
  return /^[A-Z]{3}$/.test(code) ? undefined : 'expected a 3-letter currency code such as USD or EUR';
}

/** An OData string literal for a $filter; values come from the checked config, anything unusual is refused rather than escaped. */
export function odataString(value: string): string {
  if (!/^[A-Za-z0-9 _.()-]{1,80}$/.test(value)) throw new DataError('deploy.cost.badFilterValue', { value });
  return `'${value}'`;
}

/** The first page's URL. Spaces are %20 (as curl --data-urlencode sends them), not '+'. */
export function retailPricesUrl(filter: string, currency: string, origin: string = RETAIL_PRICES_ORIGIN): URL {
  const u = new URL(RETAIL_PRICES_PATH, origin);
  u.search = `?api-version=${RETAIL_PRICES_API_VERSION}&currencyCode=${encodeURIComponent(`'${currency}'`)}&$filter=${encodeURIComponent(filter)}`;
  return u;
}

/**
 * The next page's URL, or undefined at the end. A link is followed only to the same origin (scheme,
 * host and port: https://prices.azure.com) and the same path, without credentials: an answer that
 * names http://, another host (the metadata service at 169.254.169.254) or another path is refused.
 */
export function checkNextPageLink(link: unknown, origin: string = RETAIL_PRICES_ORIGIN): URL | undefined {
  if (link === null || link === undefined || link === '') return undefined;
  const refuse = (why: string) => new DataError('deploy.cost.badResponse', { what: `a NextPageLink ${why}` });
  if (typeof link !== 'string') throw refuse('that is not a string');
  if (link.length > MAX_LINK_CHARS) throw refuse(`longer than ${MAX_LINK_CHARS} characters`);
  let u: URL;
  try {
    u = new URL(link);
  } catch {
    throw refuse(`that is not a URL ('${excerpt(link)}')`);
  }
  if (u.origin !== new URL(origin).origin) throw refuse(`to ${excerpt(u.origin)}, not ${origin}`);
  if (u.pathname !== RETAIL_PRICES_PATH) throw refuse(`to the path ${excerpt(u.pathname)}, not ${RETAIL_PRICES_PATH}`);
  if (u.username !== '' || u.password !== '') throw refuse('with credentials in it');
  return u;
}

/** Every item the query matches, following NextPageLink within the limits. */
export async function queryRetailPrices(filter: string, options: RetailPricesOptions): Promise<RetailPrice[]> {
  const origin = options.origin ?? RETAIL_PRICES_ORIGIN;
  const maxPages = options.maxPages ?? MAX_PRICE_PAGES;
  const timeoutMs = options.timeoutMs ?? PRICES_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const items: RetailPrice[] = [];
  const seen = new Set<string>();
  try {
    let next: URL | undefined = retailPricesUrl(filter, options.currency, origin);
    while (next !== undefined) {
      if (seen.size >= maxPages) throw new DataError('deploy.cost.badResponse', { what: `more than ${maxPages} pages for one query` });
      if (seen.has(next.href)) throw new DataError('deploy.cost.badResponse', { what: 'a NextPageLink back to a page already read' });
      seen.add(next.href);
      const page = await readPage(next, options, controller.signal, timeoutMs);
      items.push(...parseItems(page, options.currency));
      next = checkNextPageLink((page as { NextPageLink?: unknown }).NextPageLink, origin);
    }
    return items;
  } finally {
    clearTimeout(timer);
  }
}

async function readPage(url: URL, options: RetailPricesOptions, signal: AbortSignal, timeoutMs: number): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxPageBytes ?? MAX_PRICE_PAGE_BYTES;
  const unreachable = (reason: string) => new DataError('deploy.cost.unreachable', { origin: url.origin, reason });
  const failure = (e: unknown) =>
    signal.aborted ? unreachable(`no complete answer within ${timeoutMs / 1000} s`) : unreachable(networkReason(codeOf(e)) ?? excerpt(String((e as Error)?.message ?? e), 200));
  let res: Response;
  try {
    // No redirects: a 3xx to another host would bypass the origin check above.
    res = await doFetch(url, { signal, redirect: 'error', headers: { accept: 'application/json' } });
  } catch (e) {
    throw failure(e);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw unreachable(`HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new DataError('deploy.cost.badResponse', { what: `a page of ${declared} bytes, more than the ${maxBytes}-byte limit` });
  }
  // fetch inflates gzip/br bodies itself: the count below is of inflated bytes, so a small
  // compressed page that inflates to gigabytes stops at the cap too.
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new DataError('deploy.cost.badResponse', { what: `a page of more than the ${maxBytes}-byte limit` });
        }
        chunks.push(value);
      }
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw failure(e);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    // JSON.parse's message quotes the text: not repeated.
    throw new DataError('deploy.cost.badResponse', { what: 'a page that is not JSON' });
  }
}

function codeOf(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

const TEXT_FIELDS = ['currencyCode', 'unitOfMeasure', 'armRegionName', 'productName', 'skuName', 'meterName', 'serviceName', 'type'] as const;

/** The page's Items, each checked: a non-numeric or negative price, or another currency, refuses the answer. */
export function parseItems(page: unknown, currency: string): RetailPrice[] {
  const bad = (what: string) => new DataError('deploy.cost.badResponse', { what });
  if (typeof page !== 'object' || page === null || Array.isArray(page)) throw bad('a page that is not a JSON object');
  const raw = (page as { Items?: unknown }).Items;
  if (!Array.isArray(raw)) throw bad('a page without an Items list');
  return raw.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(`Items[${i}] that is not an object`);
    const o = item as Record<string, unknown>;
    const price = o.retailPrice;
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) throw bad(`Items[${i}].retailPrice '${excerpt(String(price))}', not a price (a number >= 0)`);
    for (const f of TEXT_FIELDS) if (typeof o[f] !== 'string') throw bad(`Items[${i}].${f} that is not a string`);
    if (o.currencyCode !== currency) throw bad(`Items[${i}] in ${excerpt(String(o.currencyCode), 8)}, not the ${currency} asked for`);
    const tier = o.tierMinimumUnits ?? 0;
    if (typeof tier !== 'number' || !Number.isFinite(tier) || tier < 0) throw bad(`Items[${i}].tierMinimumUnits that is not a number >= 0`);
    return {
      retailPrice: price,
      currencyCode: o.currencyCode as string,
      unitOfMeasure: o.unitOfMeasure as string,
      armRegionName: o.armRegionName as string,
      armSkuName: typeof o.armSkuName === 'string' ? o.armSkuName : '',
      productName: o.productName as string,
      skuName: o.skuName as string,
      meterName: o.meterName as string,
      serviceName: o.serviceName as string,
      type: o.type as string,
      isPrimaryMeterRegion: typeof o.isPrimaryMeterRegion === 'boolean' ? o.isPrimaryMeterRegion : undefined,
      tierMinimumUnits: tier,
      effectiveStartDate: typeof o.effectiveStartDate === 'string' ? o.effectiveStartDate : '',
    };
  });
}
