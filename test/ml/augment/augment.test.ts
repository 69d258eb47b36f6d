import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { augmentRows, type AugmentSpec } from '../../../src/ml/augment/index.ts';
import { categoricalFromStrings, numericColumn, valueAt, type Column } from '../../../src/data/column.ts';
import { Table } from '../../../src/data/table.ts';
import { UsageError, DataError } from '../../../src/core/errors.ts';
import { CREDIT_RISK_AUGMENT_SPEC } from '../../../src/pipelines/loan-default/augmentSpec.ts';
import { generateSyntheticCreditRisk } from '../../../src/pipelines/loan-default/syntheticData.ts';
import { repoRoot } from '../../helpers/sharedData.ts';

type JsonTable = Record<string, (number | string | null)[]>;
interface ParityDoc {
  input: JsonTable;
  cases: { dataSize: number; seed: number; output: JsonTable }[];
}

const parity = JSON.parse(readFileSync(resolve(repoRoot, 'fixtures/augment/augment_parity.json'), 'utf8')) as ParityDoc;
const LABEL = 'loan_status';

function tableFromJson(doc: JsonTable): Table {
  const columns: Column[] = Object.entries(doc).map(([name, values]) =>
    typeof values[0] === 'string'
      ? categoricalFromStrings(name, values as string[])
      : numericColumn(name, (values as (number | null)[]).map((v) => (v === null ? NaN : v))),
  );
  return new Table(columns);
}

function cell(c: Column, i: number): string {
  const v = valueAt(c, i);
  return typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : String(v === 0 ? 0 : v)) : String(v);
}

function rowKey(t: Table, i: number): string {
  return t.columns.map((c) => cell(c, i)).join('|');
}

const input = tableFromJson(parity.input);
const augment = (table: Table, dataSize: number, seed = 1, spec: AugmentSpec = CREDIT_RISK_AUGMENT_SPEC) =>
  augmentRows(table, { dataSize, seed, label: LABEL, spec });

for (const c of parity.cases) {
  test(`equals the reference (numpy seed ${c.seed}) growing 37 rows to ${c.dataSize}`, () => {
    const { table } = augment(input, c.dataSize, c.seed);
    const expected = tableFromJson(c.output);
    assert.equal(table.numRows, c.dataSize);
    assert.deepEqual(table.columnNames, expected.columnNames);
    for (const col of expected.columns) {
      const got = table.column(col.name);
      for (let i = 0; i < c.dataSize; i++) {
        if (cell(got, i) !== cell(col, i)) assert.fail(`${col.name} row ${i}: got ${cell(got, i)}, expected ${cell(col, i)}`);
      }
    }
  });
}

test('is reproducible for a seed and differs between seeds', () => {
  const a = augment(input, 500, 11).table;
  const b = augment(input, 500, 11).table;
  const c = augment(input, 500, 12).table;
  const keys = (t: Table) => Array.from({ length: t.numRows }, (_, i) => rowKey(t, i));
  assert.deepEqual(keys(a), keys(b));
  assert.notDeepEqual(keys(a), keys(c));
});

test('repeats each source row consecutively and reports it in sourceRow', () => {
  const n = input.numRows; // 37 -> k = 250 // 37 + 1 = 7
  const { table, sourceRow } = augment(input, 250, 3);
  assert.equal(sourceRow.length, 250);
  for (let i = 0; i < 250; i++) assert.equal(sourceRow[i], Math.floor(i / 7));
  assert.ok(sourceRow[249] < n);
  const label = input.numeric(LABEL).values;
  const outLabel = table.numeric(LABEL).values;
  for (let i = 0; i < 250; i++) assert.equal(outLabel[i], label[sourceRow[i]]);
});

test('noise stays within each column spec and keeps NaN', () => {
  const { table, sourceRow } = augment(input, 3700, 5);
  const diffs = (name: string) => {
    const src = input.numeric(name).values;
    const out = table.numeric(name).values;
    const d: number[] = [];
    for (let i = 0; i < out.length; i++) {
      const s = src[sourceRow[i]];
      if (Number.isNaN(s)) assert.ok(Number.isNaN(out[i]), `${name} row ${i} lost its NaN`);
      else d.push(out[i] - s);
    }
    return d;
  };
  assert.deepEqual([...new Set(diffs('person_age'))].sort(), [-1, 0]);
  assert.deepEqual([...new Set(diffs('person_emp_length'))].sort(), [-1, 0]);
  assert.deepEqual([...new Set(diffs('cb_person_cred_hist_length'))].sort(), [0, 1]);
  const pct = diffs('loan_percent_income');
  assert.ok(pct.every((d) => d > -1e-9 && d < 0.0995));
  assert.ok(new Set(pct.map((d) => Math.round(d * 1000))).size > 90);
  const std = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
  assert.ok(Math.abs(std(diffs('person_income')) - 10) < 0.5);
  assert.ok(Math.abs(std(diffs('loan_amnt')) - 5) < 0.25);
  assert.ok(Math.abs(std(diffs('loan_int_rate')) - 0.2) < 0.01);
});

test('replaces about 10% of categories (times the chance of drawing a new value)', () => {
  const { table, sourceRow } = augment(input, 20000, 9);
  const src = input.categorical('loan_grade');
  const out = table.categorical('loan_grade');
  let changed = 0;
  for (let i = 0; i < out.codes.length; i++) if (out.codes[i] !== src.codes[sourceRow[i]]) changed++;
  // 4 distinct grades in the input: a replacement differs 3 times in 4.
  assert.ok(Math.abs(changed / out.codes.length - 0.075) < 0.006, `changed ${changed}`);
  assert.deepEqual([...new Set(Array.from(out.codes, (c) => out.dictionary[c]))].sort(), ['A', 'B', 'C', 'D']);
});

test('returns the table unchanged below its row count and for size 0', () => {
  for (const size of [0, 1, 36]) {
    const { table, sourceRow } = augment(input, size);
    assert.equal(table, input);
    assert.deepEqual(Array.from(sourceRow), Array.from({ length: 37 }, (_, i) => i));
  }
});

test('at exactly the row count it augments, as the reference does (k = 2, first half of rows)', () => {
  const { table, sourceRow } = augment(input, 37, 1);
  assert.equal(table.numRows, 37);
  assert.equal(sourceRow[36], 18);
});

test('gives exactly dataSize distinct rows even when the noise alone cannot', () => {
  // Two identical source rows, 6 output rows made from them and only 4 x 2 possible
  // outcomes: collisions are near certain, and the redraws must still leave every row distinct.
  const small = new Table([
    numericColumn('x', [1, 1, 5]),
    categoricalFromStrings('c', ['a', 'a', 'b']),
    numericColumn(LABEL, [0, 0, 1]),
  ]);
  const spec: AugmentSpec = {
    perturbations: [
      { column: 'x', kind: 'integerNoise', low: 0, high: 4 },
      { column: 'c', kind: 'resampleCategory', probability: 0.5 },
    ],
  };
  for (const seed of [1, 2, 3, 4, 5]) {
    const { table, sourceRow } = augment(small, 7, seed, spec);
    assert.equal(table.numRows, 7);
    assert.deepEqual(Array.from(sourceRow), [0, 0, 0, 1, 1, 1, 2]);
    const keys = Array.from({ length: 7 }, (_, i) => rowKey(table, i));
    assert.equal(new Set(keys).size, 7, keys.join(' / '));
  }
  // A spec that cannot make 9 distinct rows fails clearly instead of looping.
  const narrow: AugmentSpec = { perturbations: [{ column: 'x', kind: 'integerNoise', low: 0, high: 1 }] };
  assert.throws(() => augment(small, 7, 4, narrow), (e) => e instanceof DataError && e.code === 'augment.cannotDeduplicate');
});

test('NaN equals NaN when looking for duplicates', () => {
  const t = new Table([numericColumn('x', [NaN]), numericColumn(LABEL, [1])]);
  const spec: AugmentSpec = { perturbations: [{ column: 'x', kind: 'integerNoise', low: 0, high: 2 }] };
  // Every row stays NaN, so a second distinct row is impossible.
  assert.throws(() => augment(t, 2, 1, spec), (e) => e instanceof DataError && e.code === 'augment.cannotDeduplicate');
});

test('rejects bad sizes, seeds and specs with UsageError', () => {
  const usage = (code: string) => (e: unknown) => e instanceof UsageError && e.code === code;
  assert.throws(() => augment(input, -1), usage('augment.badSize'));
  assert.throws(() => augment(input, 1.5), usage('augment.badSize'));
  assert.throws(() => augment(input, 100, -3), usage('augment.badSeed'));
  const spec = (p: AugmentSpec['perturbations'][number]): AugmentSpec => ({ perturbations: [p] });
  assert.throws(() => augment(input, 100, 1, spec({ column: 'nope', kind: 'normalNoise', mean: 0, std: 1 })), usage('augment.unknownColumn'));
  assert.throws(() => augment(input, 100, 1, spec({ column: LABEL, kind: 'normalNoise', mean: 0, std: 1 })), usage('augment.labelPerturbed'));
  assert.throws(() => augment(input, 100, 1, spec({ column: 'loan_grade', kind: 'normalNoise', mean: 0, std: 1 })), usage('augment.wrongColumnKind'));
  assert.throws(() => augment(input, 100, 1, spec({ column: 'loan_amnt', kind: 'resampleCategory', probability: 0.1 })), usage('augment.wrongColumnKind'));
  assert.throws(() => augment(input, 100, 1, spec({ column: 'loan_amnt', kind: 'integerNoise', low: 2, high: 2 })), usage('augment.badSpec'));
  assert.throws(() => augment(input, 100, 1, spec({ column: 'loan_amnt', kind: 'normalNoise', mean: 0, std: -1 })), usage('augment.badSpec'));
  assert.throws(() => augmentRows(input, { dataSize: 100, seed: 1, label: 'missing', spec: CREDIT_RISK_AUGMENT_SPEC }), usage('augment.unknownColumn'));
});

test('an empty table cannot be grown', () => {
  const empty = new Table([numericColumn('x', []), numericColumn(LABEL, [])]);
  assert.equal(augment(empty, 0, 1, { perturbations: [] }).table, empty);
  assert.throws(() => augment(empty, 5, 1, { perturbations: [] }), (e) => e instanceof DataError && e.code === 'augment.emptyInput');
});

// No time limit here (a loaded machine would fail it); bench:steps measures the speed.
test('grows the synthetic data set to 1,000,000 distinct rows', () => {
  const base = generateSyntheticCreditRisk({ rows: 32581, seed: 0 });
  const { table, sourceRow } = augment(base, 1_000_000, 0);
  assert.equal(table.numRows, 1_000_000);
  assert.equal(sourceRow[999_999], Math.floor(999_999 / 31));
});
