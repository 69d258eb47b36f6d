import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../../src/core/index.ts';
import { accuracyScore, classificationReport, classificationReportDict, confusionMatrix, formatClassificationReportCsv, precisionRecallF1Support } from '../../../src/ml/index.ts';
import { loadFixture } from '../preprocess/mlFixtures.ts';

const fixture = loadFixture('metrics.json');
const TARGET_NAMES = ['Non-Default', 'Default'];

test('accuracy, per-class scores and confusion matrix equal sklearn on binary edge cases', () => {
  for (const c of fixture.cases) {
    assert.equal(accuracyScore(c.yTrue, c.yPred), c.accuracy, `${c.name} accuracy`);
    const opts = c.prf.labels && c.name.includes('with labels') ? { labels: c.prf.labels } : {};
    const s = precisionRecallF1Support(c.yTrue, c.yPred, opts);
    assert.deepEqual(s.labels, c.prf.labels, c.name);
    assert.deepEqual(Array.from(s.precision), c.prf.precision, `${c.name} precision`);
    assert.deepEqual(Array.from(s.recall), c.prf.recall, `${c.name} recall`);
    assert.deepEqual(Array.from(s.f1), c.prf.f1, `${c.name} f1`);
    assert.deepEqual(Array.from(s.support), c.prf.support, `${c.name} support`);
    assert.deepEqual([...s.warnings].sort(), c.prfWarnings, `${c.name} warnings`);
    assert.deepEqual(confusionMatrix(c.yTrue, c.yPred, opts).matrix, c.confusion, `${c.name} confusion`);
  }
});

test('classification report and its CSV are identical to sklearn + pandas', () => {
  for (const c of fixture.cases) {
    const opts = { targetNames: TARGET_NAMES, ...(c.name.includes('with labels') ? { labels: [0, 1] } : {}) };
    if (c.reportError) {
      assert.throws(() => classificationReport(c.yTrue, c.yPred, opts), (e: unknown) => e instanceof DataError && e.message === c.reportError, c.name);
      continue;
    }
    const report = classificationReport(c.yTrue, c.yPred, opts);
    assert.deepEqual(classificationReportDict(report), c.report, `${c.name} dict`);
    assert.equal(formatClassificationReportCsv(report), c.reportCsv, `${c.name} csv`);
  }
});

test('a single predicted and true class without labels is refused like sklearn', () => {
  assert.throws(
    () => classificationReport([0, 0, 0], [0, 0, 0], { targetNames: TARGET_NAMES }),
    (e: unknown) => e instanceof DataError && e.message === 'Number of classes, 1, does not match size of target_names, 2. Try specifying the labels parameter',
  );
});

test('the real-data report CSV is byte-identical', () => {
  const r = fixture.real;
  if (!r) return;
  const pred = Int32Array.from(r.yScore, (s: number) => (s > r.threshold ? 1 : 0));
  const report = classificationReport(r.yTrue, pred, { targetNames: TARGET_NAMES });
  assert.equal(formatClassificationReportCsv(report), r.reportCsv);
  assert.deepEqual(classificationReportDict(report), r.report);
  assert.equal(accuracyScore(r.yTrue, pred), r.accuracy);
  assert.deepEqual(confusionMatrix(r.yTrue, pred).matrix, r.confusion);
});

test('multiclass per-class scores, confusion matrix and accuracy', () => {
  const m = fixture.multiclass;
  const s = precisionRecallF1Support(m.yTrue, m.yPred);
  assert.deepEqual(s.labels, m.labels);
  assert.deepEqual(Array.from(s.precision), m.precision);
  assert.deepEqual(Array.from(s.recall), m.recall);
  assert.deepEqual(Array.from(s.f1), m.f1);
  assert.deepEqual(Array.from(s.support), m.support);
  assert.deepEqual(confusionMatrix(m.yTrue, m.yPred).matrix, m.confusion);
  assert.equal(accuracyScore(m.yTrue, m.yPred), m.accuracy);
});

test('a report without target names names classes by label; odd names are CSV-quoted', () => {
  const report = classificationReport([0, 1, 1], [0, 1, 0], {});
  assert.deepEqual(report.classes.map((c) => c.name), ['0', '1']);
  const quoted = formatClassificationReportCsv(classificationReport([0, 1], [0, 1], { targetNames: ['a,b', 'say "hi"'] }));
  assert.match(quoted, /^"a,b",1\.0,1\.0,1\.0,1\.0\n"say ""hi""",/m);
});

test('metrics refuse mismatched lengths and non-integer labels', () => {
  assert.throws(() => accuracyScore([0, 1], [0]), (e: unknown) => e instanceof DataError && e.code === 'metrics.lengthMismatch');
  assert.throws(() => confusionMatrix([0, 0.5], [0, 1]), (e: unknown) => e instanceof DataError && /y_true\[1\] is 0.5/.test(e.message));
});
