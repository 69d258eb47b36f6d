import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, ModelError, UsageError } from '../../../src/core/index.ts';
import { categoricalFromStrings, numericColumn, Table } from '../../../src/data/index.ts';
import { createColumnTransformer, FittedColumnTransformer, trainTestSplit, type ColumnTransformerSpec, type DenseMatrix, type SealedPreprocessor } from '../../../src/ml/index.ts';
import { skipWithoutRealData } from '../../helpers/sharedData.ts';
import { assertClose, fixtureTable, loadFixture, nums, realCreditTable } from './mlFixtures.ts';

const edge = loadFixture('preprocess_synthetic.json').edge;
const real = loadFixture('preprocess_real.json');

const REFERENCE: ColumnTransformerSpec = {
  transformers: [
    { name: 'num', kind: 'medianImputer', columns: ['loan_int_rate', 'person_emp_length', 'cb_person_cred_hist_length'] },
    { name: 'pow', kind: 'yeoJohnson', columns: ['person_age', 'person_income', 'loan_amnt', 'loan_percent_income'] },
    { name: 'cat', kind: 'oneHot', columns: ['person_home_ownership', 'loan_intent', 'loan_grade', 'cb_person_default_on_file'] },
  ],
};

/** The fitted state scikit-learn produced, in our JSON form. */
function sklearnState(params: Record<string, Record<string, unknown>>, featureNames: string[], spec: ColumnTransformerSpec): SealedPreprocessor {
  const kindOf = (k: string) => (k === 'oneHot' ? ('categorical' as const) : ('numeric' as const));
  return {
    format: 'sealed-preprocessor',
    version: 1,
    inputs: spec.transformers.flatMap((t) => t.columns.map((name) => ({ name, kind: kindOf(t.kind) }))),
    transformers: spec.transformers.map((t) => ({ name: t.name, ...params[t.name] })) as SealedPreprocessor['transformers'],
    featureNames,
  };
}

/** Compares matrix rows with expected rows; pow columns (given by index) get `powAtol`. */
function compareRows(m: DenseMatrix, rows: readonly number[] | null, expected: number[][], powCols: Set<number>, powAtol: number, what: string): void {
  expected.forEach((exp, k) => {
    const r = rows ? rows[k] : k;
    const got = m.data.subarray(r * m.nCols, (r + 1) * m.nCols);
    assert.equal(got.length, exp.length);
    for (let j = 0; j < exp.length; j++) {
      const tol = powCols.has(j) ? powAtol : 0;
      assertClose([got[j]], nums([exp[j]]), 0, tol, `${what} row ${r} column ${j}`);
    }
  });
}

const powColumns = (names: readonly string[]) => new Set(names.flatMap((n, j) => (n.startsWith('pow__') ? [j] : [])));

test('edge cases: all-missing, constant, negative and NaN columns, unseen and missing categories', () => {
  const train = fixtureTable(edge.train, edge.numericColumns);
  const test_ = fixtureTable(edge.test, edge.numericColumns);
  const spec: ColumnTransformerSpec = { transformers: edge.spec };
  const fitted = createColumnTransformer(spec).fit(train);
  assert.deepEqual(fitted.featureNames, edge.featureNames);
  assert.equal(fitted.warnings.length, 1);
  assert.match(fitted.warnings[0], /^num: Skipping features without any observed values: \['empty'\]/);

  const [num, pow, cat] = fitted.toJSON().transformers;
  assert.deepEqual(num, { name: 'num', ...edge.params.num });
  assert.deepEqual(cat, { name: 'cat', ...edge.params.cat });
  assert.ok(pow.kind === 'yeoJohnson');
  assertClose(pow.lambdas, edge.params.pow.lambdas, 1e-5, 0, 'lambdas');
  assert.equal(pow.lambdas[1], edge.params.pow.lambdas[1], 'all-zero column: deterministic lambda');

  const powCols = powColumns(edge.featureNames);
  compareRows(fitted.transform(train), null, edge.trainValues, powCols, 1e-6, 'train');
  compareRows(fitted.transform(test_), null, edge.testValues, powCols, 1e-6, 'test');

  // with scikit-learn's own fitted parameters the transform agrees to rounding
  const loaded = FittedColumnTransformer.fromJSON(sklearnState(edge.params, edge.featureNames, spec));
  compareRows(loaded.transform(test_), null, edge.testValues, powCols, 1e-12, 'test with sklearn params');
});

test('a fitted preprocessor survives JSON and transforms identically', () => {
  const train = fixtureTable(edge.train, edge.numericColumns);
  const test_ = fixtureTable(edge.test, edge.numericColumns);
  const fitted = createColumnTransformer({ transformers: edge.spec }).fit(train);
  const text = JSON.stringify(fitted);
  const doc = JSON.parse(text);
  assert.equal(doc.format, 'sealed-preprocessor');
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.inputs.slice(0, 2), [{ name: 'a', kind: 'numeric' }, { name: 'empty', kind: 'numeric' }]);
  const loaded = FittedColumnTransformer.fromJSON(doc);
  assert.deepEqual(loaded.featureNames, fitted.featureNames);
  assert.deepEqual(Array.from(loaded.transform(test_).data), Array.from(fitted.transform(test_).data));
  assert.equal(JSON.stringify(loaded), text);
});

test('transform refuses input whose columns do not match, naming the column', () => {
  const train = new Table([numericColumn('x', [1, 2, NaN]), categoricalFromStrings('c', ['a', 'b', 'a'])]);
  const fitted = createColumnTransformer({ transformers: [{ name: 'num', kind: 'medianImputer', columns: ['x'] }, { name: 'cat', kind: 'oneHot', columns: ['c'] }] }).fit(train);
  const missing = new Table([numericColumn('x', [1])]);
  assert.throws(() => fitted.transform(missing), (e: unknown) => e instanceof DataError && e.code === 'preprocess.missingColumn' && e.message.includes("'c'"));
  const wrongKind = new Table([categoricalFromStrings('x', ['1']), categoricalFromStrings('c', ['a'])]);
  assert.throws(() => fitted.transform(wrongKind), (e: unknown) => e instanceof DataError && e.code === 'preprocess.wrongColumnKind' && /column 'x' must be numeric.*got categorical/.test(e.message));
  const infinite = new Table([numericColumn('x', [1, Infinity]), categoricalFromStrings('c', ['a', 'b'])]);
  assert.throws(() => fitted.transform(infinite), (e: unknown) => e instanceof DataError && e.code === 'preprocess.infiniteValue' && /'x' row 1/.test(e.message));
  // extra columns are ignored
  const extra = new Table([categoricalFromStrings('c', ['b']), numericColumn('x', [NaN]), numericColumn('other', [5])]);
  assert.deepEqual(Array.from(fitted.transform(extra).data), [1.5, 0, 1]);
});

test('bad specs and malformed saved preprocessors are refused', () => {
  const bad: unknown[] = [
    { transformers: [] },
    { transformers: [{ name: 'a__b', kind: 'oneHot', columns: ['c'] }] },
    { transformers: [{ name: 'a', kind: 'oneHot', columns: ['c'] }, { name: 'a', kind: 'oneHot', columns: ['d'] }] },
    { transformers: [{ name: 'a', kind: 'scale', columns: ['c'] }] },
    { transformers: [{ name: 'a', kind: 'oneHot', columns: [] }] },
    { transformers: [{ name: 'a', kind: 'oneHot', columns: ['c'] }, { name: 'b', kind: 'yeoJohnson', columns: ['c'] }] },
  ];
  for (const spec of bad) assert.throws(() => createColumnTransformer(spec as ColumnTransformerSpec), UsageError, JSON.stringify(spec));

  const train = new Table([numericColumn('x', [1, 2, 4])]);
  const good = createColumnTransformer({ transformers: [{ name: 'pow', kind: 'yeoJohnson', columns: ['x'] }] }).fit(train).toJSON();
  assert.throws(() => FittedColumnTransformer.fromJSON({ ...good, version: 2 }), (e: unknown) => e instanceof ModelError && e.code === 'preprocess.unsupportedVersion');
  assert.throws(() => FittedColumnTransformer.fromJSON({ ...good, featureNames: ['pow__y'] }), (e: unknown) => e instanceof ModelError && /featureNames/.test(e.message));
  assert.throws(() => FittedColumnTransformer.fromJSON({ ...good, inputs: [{ name: 'x', kind: 'categorical' }] }), (e: unknown) => e instanceof ModelError && /inputs/.test(e.message));
  const t0 = good.transformers[0];
  assert.throws(() => FittedColumnTransformer.fromJSON({ ...good, transformers: [{ ...t0, lambdas: [] }] }), (e: unknown) => e instanceof ModelError && /lambdas has 0 entries for 1 columns/.test(e.message));
  assert.throws(() => FittedColumnTransformer.fromJSON({ ...good, transformers: [{ ...t0, scales: [0] }] }), (e: unknown) => e instanceof ModelError && /scales/.test(e.message));
  assert.throws(() => FittedColumnTransformer.fromJSON('nope'), ModelError);
});

test('fitting refuses empty tables and all-missing Yeo-Johnson columns', () => {
  const ct = createColumnTransformer({ transformers: [{ name: 'pow', kind: 'yeoJohnson', columns: ['x'] }] });
  assert.throws(() => ct.fit(new Table([numericColumn('x', [])])), (e: unknown) => e instanceof DataError && e.code === 'preprocess.noRows');
  assert.throws(() => ct.fit(new Table([numericColumn('x', [NaN, NaN])])), (e: unknown) => e instanceof DataError && e.code === 'preprocess.noObservedValues' && e.message.includes("'x'"));
});

test('reference preprocessor with scikit-learn parameters reproduces the sampled real rows to rounding', { skip: skipWithoutRealData() }, () => {
  const table = realCreditTable()!;
  const { train, test: testRows } = trainTestSplit(table.numRows);
  const loaded = FittedColumnTransformer.fromJSON(sklearnState(real.params, real.featureNames, REFERENCE));
  const powCols = powColumns(real.featureNames);
  compareRows(loaded.transform(table.take(train)), real.trainRows, real.trainValues, powCols, 1e-12, 'train');
  compareRows(loaded.transform(table.take(testRows)), real.testRows, real.testValues, powCols, 1e-12, 'test');
});

test('reference preprocessor fitted on the real train split matches scikit-learn 1.2.1', { skip: skipWithoutRealData() }, () => {
  const table = realCreditTable()!;
  const { train, test: testRows } = trainTestSplit(table.numRows);
  const { fitted, matrix } = createColumnTransformer(REFERENCE).fitTransform(table.take(train));
  assert.deepEqual(fitted.featureNames, real.featureNames);
  assert.equal(matrix.nRows, real.nTrain);
  assert.equal(matrix.nCols, 26);
  const [num, pow, cat] = fitted.toJSON().transformers;
  assert.deepEqual(num, { name: 'num', ...real.params.num });
  assert.deepEqual(cat, { name: 'cat', ...real.params.cat });
  assert.ok(pow.kind === 'yeoJohnson');
  assertClose(pow.lambdas, real.params.pow.lambdas, 1e-5, 0, 'lambdas');
  assertClose(pow.means, real.params.pow.means, 1e-5, 0, 'means');
  assertClose(pow.scales, real.params.pow.scales, 1e-5, 0, 'scales');
  const powCols = powColumns(real.featureNames);
  compareRows(matrix, real.trainRows, real.trainValues, powCols, 1e-6, 'train');
  const testMatrix = fitted.transform(table.take(testRows));
  compareRows(testMatrix, real.testRows, real.testValues, powCols, 1e-6, 'test');
  // every row, through column sums: imputed and one-hot sums exact, pow sums near zero / close
  for (let j = 0; j < 26; j++) {
    let s = 0;
    for (let i = 0; i < testMatrix.nRows; i++) s += testMatrix.data[i * 26 + j];
    assertClose([s], [real.testColumnSums[j]], powCols.has(j) ? 0 : 1e-12, powCols.has(j) ? 1e-2 : 0, `test column ${j} sum`);
  }
});
