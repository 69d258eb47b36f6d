// `sealed deploy cost --config FILE [--currency USD] [--json]`: the hourly cost of THIS configuration
// (region, sizes, counts) from the Azure Retail Prices API. Every input is checked before the
// first request; the API's host is fixed (deps.origin exists for tests only, no flag sets it).
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { loadDeployConfig } from '../config/index.ts';
import type { DeployIo } from '../steps/io.ts';
import { estimateCost, type EstimateOptions } from './estimate.ts';
import { formatCostJson, formatCostTable } from './format.ts';
import { currencyProblem } from './retailPrices.ts';

export interface CostCommandOptions {
  config: string;
  currency?: string;
  json?: boolean;
}

/** Test seams: a local double's origin, a fetch, a clock, limits. */
export type CostDeps = Omit<EstimateOptions, 'currency'>;

export async function deployCostCommand(options: CostCommandOptions, io: DeployIo, deps: CostDeps = {}): Promise<number> {
  const currency = (options.currency ?? 'USD').toUpperCase();
  const problem = currencyProblem(currency);
  if (problem) throw new UsageError('deploy.badOption', { option: '--currency', value: options.currency ?? '', expected: problem.replace(/^expected /, '') });
  if (typeof options.config !== 'string' || options.config.length === 0) throw new UsageError('deploy.badOption', { option: '--config', value: '', expected: 'a configuration file (JSON or YAML)' });
  const { config } = await loadDeployConfig(resolve(io.cwd, options.config));
  const estimate = await estimateCost(config, { ...deps, currency });
  io.stdout.write(options.json ? formatCostJson(estimate) : formatCostTable(estimate));
  return 0;
}
