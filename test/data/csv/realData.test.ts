// The real Kaggle credit-risk CSV, when present beside the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCsvFile } from '../../../src/data/index.ts';
import { realDataPath, skipWithoutRealData } from '../../helpers/sharedData.ts';

const HEADER = [
  'person_age', 'person_income', 'person_home_ownership', 'person_emp_length', 'loan_intent', 'loan_grade', 'loan_amnt',
  'loan_int_rate', 'loan_status', 'loan_percent_income', 'cb_person_default_on_file', 'cb_person_cred_hist_length',
];

test('reads the credit-risk CSV: shape, missing counts, categories, labels', { skip: skipWithoutRealData() }, async () => {
  const t = await readCsvFile(realDataPath() as string);
  assert.equal(t.numRows, 32581);
  assert.deepEqual(t.columnNames, HEADER);
  const nan = (name: string) => t.numeric(name).values.filter((v) => Number.isNaN(v)).length;
  assert.equal(nan('person_emp_length'), 895);
  assert.equal(nan('loan_int_rate'), 3116);
  for (const name of HEADER) {
    const c = t.column(name);
    if (c.kind === 'numeric' && name !== 'person_emp_length' && name !== 'loan_int_rate') assert.equal(nan(name), 0, name);
    if (c.kind === 'categorical') assert.ok(!c.codes.includes(-1), name);
  }
  const cats = (name: string) => [...t.categorical(name).dictionary].sort();
  assert.deepEqual(cats('person_home_ownership'), ['MORTGAGE', 'OTHER', 'OWN', 'RENT']);
  assert.deepEqual(cats('loan_intent'), ['DEBTCONSOLIDATION', 'EDUCATION', 'HOMEIMPROVEMENT', 'MEDICAL', 'PERSONAL', 'VENTURE']);
  assert.deepEqual(cats('loan_grade'), ['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  assert.deepEqual(cats('cb_person_default_on_file'), ['N', 'Y']);
  const label = t.numeric('loan_status').values;
  assert.equal(label.filter((v) => v === 1).length, 7108);
  assert.equal(label.filter((v) => v === 0).length, 25473);
  assert.equal(Math.max(...t.numeric('person_age').values), 144);
  assert.equal(t.numeric('person_income').values[0], 59000);
  assert.equal(t.numeric('loan_int_rate').values[0], 16.02);
});
