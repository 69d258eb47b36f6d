import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CATEGORICAL_COLUMNS,
  CREDIT_RISK_CATEGORIES,
  CREDIT_RISK_COLUMNS,
  FEATURE_COLUMNS,
  LABEL_COLUMN,
  NUMERIC_FEATURE_COLUMNS,
  creditRiskReferenceSchema,
} from '../../../src/pipelines/loan-default/schema.ts';
import { CREDIT_RISK_AUGMENT_SPEC } from '../../../src/pipelines/loan-default/augmentSpec.ts';

const HEADER =
  'person_age,person_income,person_home_ownership,person_emp_length,loan_intent,loan_grade,loan_amnt,loan_int_rate,loan_status,loan_percent_income,cb_person_default_on_file,cb_person_cred_hist_length';

test('columns are the real header, in order', () => {
  assert.equal(CREDIT_RISK_COLUMNS.join(','), HEADER);
  assert.deepEqual(creditRiskReferenceSchema.columns.map((c) => c.name), [...CREDIT_RISK_COLUMNS]);
});

test('label, features, numeric and categorical columns partition the header', () => {
  assert.equal(LABEL_COLUMN, 'loan_status');
  assert.equal(FEATURE_COLUMNS.length, 11);
  assert.ok(!(FEATURE_COLUMNS as string[]).includes(LABEL_COLUMN));
  assert.deepEqual([...NUMERIC_FEATURE_COLUMNS, ...CATEGORICAL_COLUMNS, LABEL_COLUMN].sort(), [...CREDIT_RISK_COLUMNS].sort());
  for (const c of creditRiskReferenceSchema.columns) {
    assert.equal(c.type === 'category', (CATEGORICAL_COLUMNS as string[]).includes(c.name), c.name);
    if (c.type === 'category') assert.deepEqual(c.categories, CREDIT_RISK_CATEGORIES[c.name as keyof typeof CREDIT_RISK_CATEGORIES]);
  }
  assert.deepEqual(creditRiskReferenceSchema.columns.filter((c) => c.nullable).map((c) => c.name), ['person_emp_length', 'loan_int_rate']);
});

test('category sets are sorted and complete', () => {
  for (const values of Object.values(CREDIT_RISK_CATEGORIES)) assert.deepEqual([...values], [...values].sort());
  assert.equal(CREDIT_RISK_CATEGORIES.loan_grade.join(''), 'ABCDEFG');
});

test('the augmentation spec perturbs every feature and never the label', () => {
  const named = CREDIT_RISK_AUGMENT_SPEC.perturbations.map((p) => p.column);
  assert.deepEqual([...named].sort(), [...FEATURE_COLUMNS].sort());
});
