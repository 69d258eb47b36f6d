import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSyntheticCreditRisk, DEFAULT_SYNTHETIC_ROWS } from '../../../src/pipelines/loan-default/syntheticData.ts';
import { CREDIT_RISK_CATEGORIES, CREDIT_RISK_COLUMNS, creditRiskReferenceSchema } from '../../../src/pipelines/loan-default/schema.ts';
import { valueAt } from '../../../src/data/column.ts';
import type { Table } from '../../../src/data/table.ts';
import { UsageError } from '../../../src/core/errors.ts';
import { validateTable } from '../../../src/data/schema/index.ts';

const table = generateSyntheticCreditRisk({ rows: 20000, seed: 0 });
const num = (name: string) => table.numeric(name).values;
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
const fractionNaN = (xs: Float64Array) => xs.filter((x) => Number.isNaN(x)).length / xs.length;
const quantile = (xs: Float64Array, q: number) => {
  const s = Float64Array.from(xs.filter((x) => !Number.isNaN(x))).sort();
  return s[Math.floor(q * (s.length - 1))];
};
const frequency = (name: string) => {
  const c = table.categorical(name);
  const counts = new Map<string, number>();
  for (const code of c.codes) counts.set(c.dictionary[code], (counts.get(c.dictionary[code]) ?? 0) + 1);
  return (v: string) => (counts.get(v) ?? 0) / c.codes.length;
};

/** Mann-Whitney AUC of a score against the label. */
function auc(score: Float64Array, label: Float64Array): number {
  const idx = Array.from(score.keys()).sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && score[idx[j]] === score[idx[i]]) j++;
    for (let k = i; k < j; k++) if (label[idx[k]] === 1) {
      rankSum += (i + j + 1) / 2;
      pos++;
    }
    i = j;
  }
  const neg = idx.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function rows(t: Table): string[] {
  return Array.from({ length: t.numRows }, (_, i) => t.columns.map((c) => String(valueAt(c, i))).join(','));
}

test('has the real schema: columns, kinds, categories', () => {
  assert.deepEqual(table.columnNames, [...CREDIT_RISK_COLUMNS]);
  for (const spec of creditRiskReferenceSchema.columns) {
    const c = table.column(spec.name);
    assert.equal(c.kind, spec.type === 'category' ? 'categorical' : 'numeric', spec.name);
    if (c.kind === 'categorical') {
      const used = new Set(Array.from(c.codes, (k) => c.dictionary[k]));
      for (const v of used) assert.ok(spec.categories?.includes(v), `${spec.name}: ${v}`);
      assert.equal(used.size, spec.categories?.length, `${spec.name} uses every category`);
    } else {
      const hasNaN = fractionNaN(c.values) > 0;
      assert.equal(hasNaN, spec.nullable === true, `${spec.name} nullable`);
      if (spec.type === 'integer') assert.ok(c.values.every((v) => Number.isNaN(v) || Number.isInteger(v)), spec.name);
      if (spec.type === 'binary') assert.ok(c.values.every((v) => v === 0 || v === 1), spec.name);
    }
  }
});

test('passes validation against creditRiskReferenceSchema', () => {
  assert.deepEqual(validateTable(table, creditRiskReferenceSchema), []);
});

test('is deterministic for a seed and varies with it', () => {
  const a = generateSyntheticCreditRisk({ rows: 500, seed: 3 });
  const b = generateSyntheticCreditRisk({ rows: 500, seed: 3 });
  const c = generateSyntheticCreditRisk({ rows: 500, seed: 4 });
  assert.deepEqual(rows(a), rows(b));
  assert.notDeepEqual(rows(a), rows(c));
  assert.equal(generateSyntheticCreditRisk({ seed: 1 }).numRows, DEFAULT_SYNTHETIC_ROWS);
  assert.equal(generateSyntheticCreditRisk({ rows: 0 }).numRows, 0);
});

test('marginals are close to the real data', () => {
  const age = num('person_age');
  assert.ok(age.every((v) => v >= 20));
  assert.ok(quantile(age, 0.5) >= 24 && quantile(age, 0.5) <= 28);
  assert.ok(quantile(age, 0.99) >= 42 && quantile(age, 0.99) <= 60);
  const logIncome = Float64Array.from(num('person_income'), Math.log);
  assert.ok(Math.abs(mean(logIncome) - 10.93) < 0.1);
  assert.ok(Math.abs(fractionNaN(num('person_emp_length')) - 0.0275) < 0.008);
  assert.ok(Math.abs(fractionNaN(num('loan_int_rate')) - 0.0956) < 0.012);
  const home = frequency('person_home_ownership');
  assert.ok(Math.abs(home('RENT') - 0.505) < 0.03 && Math.abs(home('MORTGAGE') - 0.413) < 0.03 && Math.abs(home('OWN') - 0.079) < 0.01);
  const grade = frequency('loan_grade');
  assert.ok(Math.abs(grade('A') - 0.331) < 0.02 && Math.abs(grade('D') - 0.111) < 0.01 && grade('G') > 0);
  const onFile = frequency('cb_person_default_on_file');
  assert.ok(Math.abs(onFile('Y') - 0.176) < 0.015);
});

test('derived columns follow their sources', () => {
  const amount = num('loan_amnt');
  const income = num('person_income');
  const pct = num('loan_percent_income');
  for (let i = 0; i < table.numRows; i++) assert.equal(pct[i], Math.round((amount[i] / income[i]) * 100) / 100);
  // Interest rate rises with grade.
  const grades = table.categorical('loan_grade');
  const rate = num('loan_int_rate');
  const meanRate = (g: string) => mean(rate.filter((r, i) => !Number.isNaN(r) && grades.dictionary[grades.codes[i]] === g));
  for (let k = 1; k < CREDIT_RISK_CATEGORIES.loan_grade.length; k++) {
    const [lo, hi] = [CREDIT_RISK_CATEGORIES.loan_grade[k - 1], CREDIT_RISK_CATEGORIES.loan_grade[k]];
    assert.ok(meanRate(hi) > meanRate(lo) + 0.8, `${lo} < ${hi}`);
  }
  // Credit history length grows with age.
  const age = num('person_age');
  const hist = num('cb_person_cred_hist_length');
  const ax = mean(age);
  const hx = mean(hist);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < age.length; i++) {
    sxy += (age[i] - ax) * (hist[i] - hx);
    sxx += (age[i] - ax) ** 2;
    syy += (hist[i] - hx) ** 2;
  }
  assert.ok(sxy / Math.sqrt(sxx * syy) > 0.7);
});

test('the label is ~22% positive and learnable', () => {
  const label = num('loan_status');
  assert.ok(Math.abs(mean(label) - 0.218) < 0.01, `positive rate ${mean(label)}`);
  // A crude hand-made score already ranks well; boosted trees do better (~0.91 measured).
  const grade = table.categorical('loan_grade');
  const home = table.categorical('person_home_ownership');
  const pct = num('loan_percent_income');
  const score = Float64Array.from(label, (_, i) => {
    const g = grade.dictionary[grade.codes[i]];
    return (g >= 'D' ? 3 : 0) + 10 * pct[i] + (home.dictionary[home.codes[i]] === 'RENT' ? 1 : 0);
  });
  assert.ok(auc(score, label) > 0.78, `auc ${auc(score, label)}`);
});

test('rejects bad options', () => {
  assert.throws(() => generateSyntheticCreditRisk({ rows: -1 }), UsageError);
  assert.throws(() => generateSyntheticCreditRisk({ rows: 2.5 }), UsageError);
  assert.throws(() => generateSyntheticCreditRisk({ seed: -1 }), UsageError);
});
