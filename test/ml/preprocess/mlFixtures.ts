// Shared by the ml tests: reads the scikit-learn parity fixtures in fixtures/ml (written by
// fixtures/ml/make_fixtures.py; NaN is stored as null) and, when present, the real dataset
// through a minimal reader of its own (the file has no quoting; empty fields are missing), so
// these tests do not depend on the CSV reader being built alongside.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { categoricalFromStrings, numericColumn, Table, type Column } from '../../../src/data/index.ts';
import { realDataPath, repoRoot } from '../../helpers/sharedData.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadFixture(name: string): any {
  return JSON.parse(readFileSync(resolve(repoRoot, 'fixtures/ml', name), 'utf8'));
}

/** Numbers from a fixture array, null read as NaN. */
export function nums(a: readonly (number | null)[]): Float64Array {
  return Float64Array.from(a, (v) => (v === null ? NaN : v));
}

/** A table from fixture columns (`{name: values}`), numeric ones read with null as NaN. */
export function fixtureTable(columns: Record<string, readonly (number | string | null)[]>, numeric: readonly string[]): Table {
  const cols: Column[] = Object.entries(columns).map(([name, values]) =>
    numeric.includes(name) ? numericColumn(name, nums(values as (number | null)[])) : categoricalFromStrings(name, values as (string | null)[]),
  );
  return new Table(cols);
}

export const CREDIT_CATEGORICAL = ['person_home_ownership', 'loan_intent', 'loan_grade', 'cb_person_default_on_file'];

let cached: Table | undefined;

/** The real credit-risk table (all 12 columns), or undefined when the file is absent. */
export function realCreditTable(): Table | undefined {
  const path = realDataPath();
  if (!path) return undefined;
  if (cached) return cached;
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const fields = lines.slice(1).map((l) => l.split(','));
  cached = new Table(
    header.map((name, j) => {
      const raw = fields.map((f) => f[j]);
      return CREDIT_CATEGORICAL.includes(name) ? categoricalFromStrings(name, raw) : numericColumn(name, Float64Array.from(raw, (v) => (v === '' ? NaN : Number(v))));
    }),
  );
  return cached;
}

/** |a - b| <= rtol * |b| + atol, elementwise, NaN equal to NaN; returns the worst relative error. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol = 0, what = 'values'): number {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    const err = Math.abs(a - b);
    if (!(err <= rtol * Math.abs(b) + atol)) throw new Error(`${what}[${i}]: ${a} != ${b} (rtol ${rtol}, atol ${atol})`);
    if (b !== 0) worst = Math.max(worst, err / Math.abs(b));
  }
  return worst;
}
