// A large credit-risk-shaped CSV for benchmarks, generated deterministically and cached in
// bench/.cache. From the real file when present: each row repeated consecutively with seeded
// noise of the kind the pipeline's augmentation adds (so numbers carry full float precision,
// as augmented data does); otherwise fully synthetic rows with the same schema.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RandomState } from '../../src/core/index.ts';
import { categoricalColumn, numericColumn, readCsvFile, Table, writeCsv, type Column } from '../../src/data/index.ts';
import { benchCacheDir, realDataPath } from './paths.ts';

const VERSION = 1;

const CATEGORIES: Record<string, readonly string[]> = {
  person_home_ownership: ['RENT', 'OWN', 'MORTGAGE', 'OTHER'],
  loan_intent: ['PERSONAL', 'EDUCATION', 'MEDICAL', 'VENTURE', 'HOMEIMPROVEMENT', 'DEBTCONSOLIDATION'],
  loan_grade: ['D', 'B', 'C', 'A', 'E', 'F', 'G'],
  cb_person_default_on_file: ['Y', 'N'],
};

const NOISE: Record<string, (r: RandomState) => number> = {
  person_age: (r) => -r.integer(0, 2),
  person_income: (r) => r.normal(0, 10),
  person_emp_length: (r) => -r.integer(0, 2),
  loan_amnt: (r) => r.normal(0, 5),
  loan_int_rate: (r) => r.normal(0, 0.2),
  loan_percent_income: (r) => r.integer(0, 100) / 1000,
  cb_person_cred_hist_length: (r) => r.integer(0, 2),
};

/** Path of a cached CSV with `rows` rows (generated on first use). */
export async function ensureCreditCsv(rows: number, seed = 42): Promise<{ path: string; source: 'real' | 'synthetic' }> {
  const real = realDataPath();
  const source = real ? 'real' : 'synthetic';
  const path = join(benchCacheDir(), `credit_risk_${rows}_${source}_s${seed}_v${VERSION}.csv`);
  if (existsSync(path)) return { path, source };
  const base = real ? await readCsvFile(real) : syntheticBase(seed);
  const table = augment(base, rows, new RandomState(seed));
  await writeCsv(table, path); // atomic: a crash never leaves a half-written cache file
  return { path, source };
}

function augment(base: Table, rows: number, rng: RandomState): Table {
  const k = Math.floor(rows / base.numRows) + 1;
  const columns: Column[] = base.columns.map((c) => {
    if (c.kind === 'categorical') {
      const codes = new Int32Array(rows);
      const nCats = c.dictionary.length;
      for (let i = 0; i < rows; i++) {
        const src = c.codes[Math.floor(i / k)];
        codes[i] = rng.randomSample() < 0.1 ? rng.integer(0, nCats) : src;
      }
      return categoricalColumn(c.name, codes, c.dictionary);
    }
    const values = new Float64Array(rows);
    const noise: ((r: RandomState) => number) | undefined = NOISE[c.name];
    for (let i = 0; i < rows; i++) {
      const v = c.values[Math.floor(i / k)];
      values[i] = noise !== undefined && v === v ? v + noise(rng) : v;
    }
    return numericColumn(c.name, values);
  });
  return new Table(columns);
}

function syntheticBase(seed: number): Table {
  const n = 32581;
  const r = new RandomState(seed + 1);
  const num = (f: () => number, missing = 0) => Float64Array.from({ length: n }, () => (r.randomSample() < missing ? NaN : f()));
  const cat = (name: string) => categoricalColumn(name, Int32Array.from({ length: n }, () => r.integer(0, CATEGORIES[name].length)), CATEGORIES[name]);
  return new Table([
    numericColumn('person_age', num(() => 20 + r.integer(0, 50))),
    numericColumn('person_income', num(() => 4000 + r.integer(0, 200000))),
    cat('person_home_ownership'),
    numericColumn('person_emp_length', num(() => r.integer(0, 30), 0.0275)),
    cat('loan_intent'),
    cat('loan_grade'),
    numericColumn('loan_amnt', num(() => 500 + 25 * r.integer(0, 1400))),
    numericColumn('loan_int_rate', num(() => Math.round((5 + r.randomSample() * 18) * 100) / 100, 0.0956)),
    numericColumn('loan_status', num(() => (r.randomSample() < 0.218 ? 1 : 0))),
    numericColumn('loan_percent_income', num(() => r.integer(0, 80) / 100)),
    cat('cb_person_default_on_file'),
    numericColumn('cb_person_cred_hist_length', num(() => 2 + r.integer(0, 28))),
  ]);
}
