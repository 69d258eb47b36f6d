// Eval metrics by XGBoost name. A name is a metric, optionally with a parameter after '@'
// (only `error@<threshold>` takes one, as in XGBoost). Unknown names give undefined; the
// caller reports them against the parameter that named them.
import type { Metric } from './metric.ts';
import { error, logloss, mae, rmse } from './elementwise.ts';
import { auc } from './auc.ts';
import { merror, mlogloss } from './multiclass.ts';

export type { Metric, MetricInput } from './metric.ts';

const PLAIN: ReadonlyMap<string, () => Metric> = new Map([
  ['rmse', rmse],
  ['mae', mae],
  ['logloss', logloss],
  ['auc', auc],
  ['mlogloss', mlogloss],
  ['merror', merror],
]);

/** The metric names we accept (for messages and suggestions). */
export const supportedMetrics: readonly string[] = [...PLAIN.keys(), 'error', 'error@<threshold>'];

/** The metric called `name`, or undefined when we do not know it. */
export function createMetric(name: string): Metric | undefined {
  const at = name.indexOf('@');
  if (at < 0) return name === 'error' ? error(0.5, 'error') : PLAIN.get(name)?.();
  if (name.slice(0, at) !== 'error') return undefined;
  const text = name.slice(at + 1).trim();
  const threshold = text === '' ? NaN : Number(text);
  if (!Number.isFinite(threshold)) return undefined;
  const t = Math.fround(threshold);
  // XGBoost names the metric "error" at the default threshold, else "error@" + the float
  // printed as C++ streams print it (six significant digits).
  return error(t, t === 0.5 ? 'error' : `error@${formatSignificant6(t)}`);
}

/** C++ `ostream << float` with the default precision: %g with 6 significant digits. */
export function formatSignificant6(x: number): string {
  if (x === 0) return '0';
  const [mantissa, expText] = x.toExponential(5).split('e');
  const exp = Number(expText);
  const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${trim(mantissa)}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return trim(x.toFixed(5 - exp));
}
