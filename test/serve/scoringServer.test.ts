// The scoring service's contract, in-process (fastify inject, no socket): one record and
// batches scored exactly as the pipeline would (preprocessor + compiled model), optional reasons,
// health, and every bad-input case answered with a 4xx naming the record and field. (The attacks
// on the service — timeouts, floods, oversized echoes, tokens — are in test/security/serve.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueAt } from '../../src/data/index.ts';
import { compileModel, predict, train } from '../../src/gbdt/index.ts';
import { createColumnTransformer } from '../../src/ml/index.ts';
import { FEATURE_COLUMNS, generateSyntheticCreditRisk, LABEL_COLUMN, LOAN_DEFAULT_PREPROCESSOR } from '../../src/pipelines/loan-default/index.ts';
import { BODY_LIMIT, createScoringServer } from '../../src/serve/scoringServer.ts';
import { LoanScorer } from '../../src/serve/loanScorer.ts';
import { MAX_BATCH_RECORDS, MAX_EXPLAIN_RECORDS } from '../../src/serve/applicantRecords.ts';

const table = generateSyntheticCreditRisk({ rows: 2000, seed: 3 });
const features = table.select([...FEATURE_COLUMNS]);
const { fitted, matrix } = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitTransform(features);
const labels = Float64Array.from({ length: table.numRows }, (_, i) => Number(valueAt(table.column(LABEL_COLUMN), i)));
const booster = train(matrix, labels, { objective: 'binary:logistic', max_depth: 4, eta: 0.3, num_boost_round: 20, nthread: 1 });
const scorer = new LoanScorer(fitted, compileModel(booster.model), booster.model);
const app = createScoringServer(scorer);
const expected = predict(booster.model, matrix);

const recordAt = (i: number) => Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, valueAt(features.column(f), i)]));
const post = (payload: unknown, url = '/v1/score', headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

test('one record: its probability and label, as the pipeline scores it', async () => {
  const r = await post(recordAt(7));
  assert.equal(r.statusCode, 200);
  const body = r.json();
  assert.equal(body.probability, expected[7]);
  assert.equal(body.label, expected[7] > 0.5 ? 1 : 0);
  assert.equal(body.reasons, undefined);
});

test('a batch: results in order; ?explain=true adds up to three reasons naming raw fields', async () => {
  const records = [0, 1, 2, 3, 4].map(recordAt);
  const r = await post(records, '/v1/score?explain=true');
  assert.equal(r.statusCode, 200);
  const { results } = r.json();
  assert.deepEqual(results.map((x: { probability: number }) => x.probability), [0, 1, 2, 3, 4].map((i) => expected[i]));
  for (const x of results) {
    assert.ok(x.reasons.length <= 3);
    for (const reason of x.reasons) {
      assert.ok((FEATURE_COLUMNS as readonly string[]).includes(reason.field), reason.field);
      assert.ok(reason.contribution > 0);
    }
  }
  assert.ok(results.some((x: { reasons: unknown[] }) => x.reasons.length > 0));
});

test('a large batch (scored on the scoring thread) gives the same scores, in order', async () => {
  const n = 1500;
  const r = await post(Array.from({ length: n }, (_, i) => recordAt(i)));
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json().results.map((x: { probability: number }) => x.probability), Array.from(expected.subarray(0, n)));
});

test('--allow-unknown-categories: an unknown category is scored as unseen, with a warning', async () => {
  const lenient = createScoringServer(scorer, { allowUnknownCategories: true });
  const r = await lenient.inject({ method: 'POST', url: '/v1/score', payload: [recordAt(0), { ...recordAt(1), person_home_ownership: 'rent' }] });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().results.length, 2);
  assert.deepEqual(r.json().warnings, ["record 1: field 'person_home_ownership': unknown category 'rent' scored as unseen"]);
  const known = await lenient.inject({ method: 'POST', url: '/v1/score', payload: recordAt(0) });
  assert.equal(known.json().warnings, undefined);
  await lenient.close();
});

test('GET /healthz answers ok', async () => {
  const r = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { status: 'ok' });
});

test('bad input: a 4xx whose one-line error names the record and field', async () => {
  const good = recordAt(0);
  const { person_age: _drop, ...missing } = good;
  const cases: [unknown, number, string][] = [
    [{ ...good, person_agee: 30 }, 400, "unknown field 'person_agee'"],
    [missing, 400, "field 'person_age' is missing"],
    [{ ...good, person_income: '50000' }, 400, "field 'person_income' must be a number or null"],
    [{ ...good, loan_grade: 3 }, 400, "field 'loan_grade' must be a string"],
    [[good, { ...good, loan_amnt: true }], 400, "record 1: field 'loan_amnt' must be a number or null"],
    [[], 400, 'a batch holds at least one record'],
    [Array.from({ length: MAX_BATCH_RECORDS + 1 }, () => good), 400, `a batch holds at most ${MAX_BATCH_RECORDS} records`],
    [42, 400, 'expected an applicant record'],
    ['{"person_age": ', 400, 'body is not valid JSON'],
    [{ ...good, loan_grade: 'Z' }, 400, "field 'loan_grade' has unknown category 'Z' (allowed: A, B, C, D, E, F, G)"],
  ];
  for (const [payload, status, message] of cases) {
    const r = await post(payload);
    assert.equal(r.statusCode, status, JSON.stringify(payload).slice(0, 80));
    assert.ok(r.json().error.includes(message), `${r.json().error} should include ${message}`);
  }
  const tooMany = await post(Array.from({ length: MAX_EXPLAIN_RECORDS + 1 }, () => good), '/v1/score?explain=true');
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.json().error, `a batch holds at most ${MAX_EXPLAIN_RECORDS} records with ?explain=true`);
  const explain = await post(good, '/v1/score?explain=yes');
  assert.equal(explain.statusCode, 400);
  assert.match(explain.json().error, /'explain' must be true or false/);
  const text = await app.inject({ method: 'POST', url: '/v1/score', payload: 'person_age=3', headers: { 'content-type': 'text/plain' } });
  assert.equal(text.statusCode, 415);
  const big = await post(' '.repeat(BODY_LIMIT + 1));
  assert.equal(big.statusCode, 413);
  assert.equal((await app.inject({ method: 'GET', url: '/v1/score' })).statusCode, 404);
});

test('without the trained model (compiled only) there are no reasons: ?explain=true is refused', async () => {
  const compiledOnly = createScoringServer(new LoanScorer(fitted, compileModel(booster.model), undefined));
  const r = await compiledOnly.inject({ method: 'POST', url: '/v1/score?explain=true', payload: recordAt(0) });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error, /reasons need the trained model/);
  await compiledOnly.close();
});

test.after(async () => {
  await app.close();
  scorer.dispose();
});
