// `sealed deploy cost`: hourly cost of a deploy configuration from the Azure Retail Prices API.
export { deployCostCommand, type CostCommandOptions, type CostDeps } from './command.ts';
export { estimateCost, chooseMeter, HOURS_PER_30_DAYS, type CostEstimate, type CostLine, type EstimateOptions } from './estimate.ts';
export { costItems, hoursPerUnit, armSkuSpelling, PUBLIC_IPS, type CostItem, type CostItemId, type MeterQuery } from './meters.ts';
export { formatCostTable, formatCostJson } from './format.ts';
export {
  queryRetailPrices,
  checkNextPageLink,
  parseItems,
  retailPricesUrl,
  currencyProblem,
  odataString,
  RETAIL_PRICES_ORIGIN,
  RETAIL_PRICES_PATH,
  RETAIL_PRICES_API_VERSION,
  MAX_PRICE_PAGES,
  MAX_PRICE_PAGE_BYTES,
  PRICES_TIMEOUT_MS,
  type RetailPrice,
  type RetailPricesOptions,
} from './retailPrices.ts';
