// The dashboard browser app's pure logic (no DOM): confusion matrix from probability buckets,
// graph layout by dependency depth, ROC helpers, runs sorting and filtering, parameter form
// parsing, display formats. The pages themselves are exercised in a browser by browser.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphEdge, ParameterInfo, RocPoint, RunSummary } from '../../src/dashboard/api/contract.ts';
import { confusionAt, confusionRates, firstPositiveBucket } from '../../src/dashboard/web/src/lib/confusion.ts';
import { layoutGraph } from '../../src/dashboard/web/src/lib/graphLayout.ts';
import { nearestPoint, thinCurve } from '../../src/dashboard/web/src/lib/roc.ts';
import { filterRuns, sortRuns } from '../../src/dashboard/web/src/lib/sortRuns.ts';
import { initialValue, parseValue } from '../../src/dashboard/web/src/lib/parameterForm.ts';
import { formatBytes, formatDelta, formatDuration, formatTime } from '../../src/dashboard/web/src/lib/format.ts';

test('confusion matrix: a bucket counts as predicted positive when it lies at or above the threshold', () => {
  // 10 buckets: positives mostly high, negatives mostly low.
  const source = { buckets: 10, positives: [0, 0, 1, 0, 0, 2, 0, 3, 0, 4], negatives: [5, 4, 3, 0, 2, 1, 0, 0, 1, 0] };
  assert.equal(firstPositiveBucket(10, 0.5), 5);
  assert.equal(firstPositiveBucket(1000, 0.5), 500);
  assert.equal(firstPositiveBucket(1000, 0.0005), 1);
  assert.deepEqual(confusionAt(source, 0.5), { threshold: 0.5, tp: 9, fp: 2, tn: 14, fn: 1 });
  // threshold 0: everything positive; 1: nothing.
  assert.deepEqual(confusionAt(source, 0), { threshold: 0, tp: 10, fp: 16, tn: 0, fn: 0 });
  assert.deepEqual(confusionAt(source, 1), { threshold: 1, tp: 0, fp: 0, tn: 16, fn: 10 });
  const r = confusionRates(confusionAt(source, 0.5));
  assert.equal(r.total, 26);
  assert.equal(r.accuracy, 23 / 26);
  assert.equal(r.precision, 9 / 11);
  assert.equal(r.recall, 9 / 10);
  assert.equal(r.fpr, 2 / 16);
  assert.equal(confusionRates(confusionAt(source, 1)).precision, undefined);
});

const LOAN_EDGES: GraphEdge[] = [
  { from: 'load-data', to: 'create-train-test-set', label: 'credit_risk_dataset -> data' },
  { from: 'create-train-test-set', to: 'preprocess-features', label: 'x_train_data -> x_train' },
  { from: 'create-train-test-set', to: 'preprocess-features', label: 'x_test_data -> x_test' },
  { from: 'preprocess-features', to: 'train-model', label: 'x_train_processed -> x_train' },
  { from: 'create-train-test-set', to: 'train-model', label: 'y_train_data -> y_train' },
  { from: 'train-model', to: 'compile-model', label: 'model -> model' },
  { from: 'preprocess-features', to: 'batch-inference', label: 'x_test_processed -> x_test' },
  { from: 'create-train-test-set', to: 'batch-inference', label: 'y_test_data -> y_test' },
  { from: 'compile-model', to: 'batch-inference', label: 'compiled_model -> compiled_model' },
  { from: 'batch-inference', to: 'plot-roc-curve', label: 'prediction_data -> prediction_data' },
];
const LOAN_TASKS = ['load-data', 'create-train-test-set', 'preprocess-features', 'train-model', 'compile-model', 'batch-inference', 'plot-roc-curve'];

test('graph layout: the loan-default pipeline is seven columns by dependency depth; parallel edges merge', () => {
  const layout = layoutGraph(LOAN_TASKS, LOAN_EDGES);
  assert.equal(layout.columns, 7);
  assert.equal(layout.rows, 1);
  assert.deepEqual(LOAN_TASKS.map((t) => layout.nodes.get(t)!.column), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(layout.links.length, 9);
  assert.deepEqual(layout.links.find((l) => l.to === 'preprocess-features')!.labels, ['x_train_data -> x_train', 'x_test_data -> x_test']);
});

test('graph layout: siblings share a column, centred; unknown tasks and self edges are ignored', () => {
  const layout = layoutGraph(['a', 'b', 'c', 'd'], [
    { from: 'a', to: 'b', label: '' },
    { from: 'a', to: 'c', label: '' },
    { from: 'b', to: 'd', label: '' },
    { from: 'c', to: 'd', label: '' },
    { from: 'x', to: 'd', label: '' },
    { from: 'd', to: 'd', label: '' },
  ]);
  assert.equal(layout.columns, 3);
  assert.equal(layout.rows, 2);
  assert.deepEqual([layout.nodes.get('b')!.column, layout.nodes.get('c')!.column], [1, 1]);
  assert.deepEqual([layout.nodes.get('b')!.row, layout.nodes.get('c')!.row], [0, 1]);
  assert.equal(layout.nodes.get('a')!.row, 0.5);
  assert.equal(layout.links.length, 4);
});

test('ROC helpers: nearest point in plot units, and thinning keeps the ends', () => {
  const pts: RocPoint[] = [
    { threshold: 2, fpr: 0, tpr: 0 },
    { threshold: 0.9, fpr: 0, tpr: 0.5 },
    { threshold: 0.5, fpr: 0.2, tpr: 0.8 },
    { threshold: 0.1, fpr: 1, tpr: 1 },
  ];
  assert.equal(nearestPoint(pts, 0.15, 0.75), 2);
  assert.equal(nearestPoint(pts, 0, 0.4), 1);
  assert.equal(nearestPoint([], 0, 0), -1);
  const dense: RocPoint[] = Array.from({ length: 1001 }, (_, i) => ({ threshold: 1 - i / 1000, fpr: i / 1000, tpr: Math.sqrt(i / 1000) }));
  const thin = thinCurve(dense, 0.01);
  assert.ok(thin.length < 300, `${thin.length}`);
  assert.deepEqual(thin[0], dense[0]);
  assert.deepEqual(thin.at(-1), dense.at(-1));
});

function run(id: string, extra: Partial<RunSummary>): RunSummary {
  return { id, pipeline: 'loan-default', state: 'succeeded', createdAt: '2026-11-29T06:00:00Z', parameters: {}, sealed: false, ...extra };
}

test('runs list: sorting puts missing values last in both directions and keeps ties stable; filtering by state and text', () => {
  const runs = [
    run('a', { auc: 0.9, createdAt: '2026-11-29T06:00:00Z', parameters: { split: 'random', data_size: 0 } }),
    run('b', { auc: undefined, state: 'running', createdAt: '2026-11-29T07:00:00Z', parameters: { split: 'grouped', data_size: 1000 } }),
    run('c', { auc: 0.95, state: 'failed', createdAt: '2026-11-29T05:00:00Z', parameters: { split: 'grouped', data_size: 0 } }),
    run('d', { auc: 0.9, createdAt: '2026-11-29T04:00:00Z', parameters: {} }),
  ];
  assert.deepEqual(sortRuns(runs, 'auc', 'desc').map((r) => r.id), ['c', 'a', 'd', 'b']);
  assert.deepEqual(sortRuns(runs, 'auc', 'asc').map((r) => r.id), ['a', 'd', 'c', 'b']);
  assert.deepEqual(sortRuns(runs, 'createdAt', 'desc').map((r) => r.id), ['b', 'a', 'c', 'd']);
  assert.deepEqual(sortRuns(runs, 'state', 'asc').map((r) => r.id), ['b', 'c', 'a', 'd']);
  assert.deepEqual(sortRuns(runs, 'id', 'desc').map((r) => r.id), ['d', 'c', 'b', 'a']);
  assert.deepEqual(filterRuns(runs, 'all', 'split=grouped').map((r) => r.id), ['b', 'c']);
  assert.deepEqual(filterRuns(runs, 'failed', '').map((r) => r.id), ['c']);
  assert.deepEqual(filterRuns(runs, 'all', 'GROUPED data_size=0').map((r) => r.id), ['c']);
  assert.deepEqual(filterRuns(runs, 'all', ' c ').map((r) => r.id), ['c']);
});

test('new-run form: defaults become inputs, inputs parse back to typed values with the limits checked', () => {
  const int: ParameterInfo = { name: 'data_size', type: 'NUMBER_INTEGER', default: 0, min: 0, max: 100 };
  const dbl: ParameterInfo = { name: 'lr', type: 'NUMBER_DOUBLE', default: 0.02 };
  const bool: ParameterInfo = { name: 'flag', type: 'BOOLEAN', default: true };
  const choice: ParameterInfo = { name: 'split', type: 'STRING', default: 'random', enum: ['random', 'grouped'] };
  const text: ParameterInfo = { name: 'data_url', type: 'STRING', default: '' };
  assert.equal(initialValue(int), '0');
  assert.equal(initialValue(int, 7), '7');
  assert.equal(initialValue(bool), true);
  assert.equal(initialValue(bool, false), false);
  assert.equal(initialValue(text), '');
  assert.equal(initialValue({ name: 'x', type: 'STRING', enum: ['p', 'q'] }), 'p');
  assert.deepEqual(parseValue(int, '42'), { value: 42 });
  assert.deepEqual(parseValue(int, '4.5'), { error: 'must be a whole number' });
  assert.deepEqual(parseValue(int, '-1'), { error: 'must be at least 0' });
  assert.deepEqual(parseValue(int, '101'), { error: 'must be at most 100' });
  assert.deepEqual(parseValue(int, ' '), { error: 'enter a number' });
  assert.deepEqual(parseValue(dbl, '0.5'), { value: 0.5 });
  assert.deepEqual(parseValue(dbl, 'abc'), { error: 'not a number' });
  assert.deepEqual(parseValue(bool, false), { value: false });
  assert.deepEqual(parseValue(choice, 'grouped'), { value: 'grouped' });
  assert.ok('error' in parseValue(choice, 'other'));
  assert.deepEqual(parseValue(text, '/data/x.csv'), { value: '/data/x.csv' });
});

test('display formats', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(1772), '1.8 s');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(185_000), '3 min 05 s');
  assert.equal(formatDuration(7_440_000), '2 h 04 min');
  assert.equal(formatDuration(undefined), '—');
  assert.equal(formatBytes(43), '43 B');
  assert.equal(formatBytes(110_279), '108 KiB');
  assert.equal(formatBytes(4_881_072), '4.7 MiB');
  assert.equal(formatDelta(0.01234, 4), '+0.0123');
  assert.equal(formatDelta(-1.5, 2, ' pp'), '−1.50 pp');
  assert.equal(formatDelta(0.00001, 4), '±0.0000');
  assert.equal(formatDelta(undefined, 2), '');
  assert.match(formatTime('2026-11-29T06:38:38.174Z'), /^2026-11-29 \d\d:38:38$/);
  assert.equal(formatTime('nonsense'), '—');
});
