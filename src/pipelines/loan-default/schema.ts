// The raw Kaggle credit-risk table as data: column order, kinds, label and known category
// sets. The CSV reader, the synthetic generator, the augmentation spec and the preprocessing
// step all read these constants, so the column list is written down exactly once.
import type { Schema } from '../../data/schema/index.ts';

export const LABEL_COLUMN = 'loan_status';

/** The 12 columns in file order. */
export const CREDIT_RISK_COLUMNS = [
  'person_age',
  'person_income',
  'person_home_ownership',
  'person_emp_length',
  'loan_intent',
  'loan_grade',
  'loan_amnt',
  'loan_int_rate',
  'loan_status',
  'loan_percent_income',
  'cb_person_default_on_file',
  'cb_person_cred_hist_length',
] as const;

export type CreditRiskColumn = (typeof CREDIT_RISK_COLUMNS)[number];

/** Known categories, sorted (the order one-hot encoding uses). */
export const CREDIT_RISK_CATEGORIES = {
  person_home_ownership: ['MORTGAGE', 'OTHER', 'OWN', 'RENT'],
  loan_intent: ['DEBTCONSOLIDATION', 'EDUCATION', 'HOMEIMPROVEMENT', 'MEDICAL', 'PERSONAL', 'VENTURE'],
  loan_grade: ['A', 'B', 'C', 'D', 'E', 'F', 'G'],
  cb_person_default_on_file: ['N', 'Y'],
} as const satisfies Record<string, readonly string[]>;

export type CategoricalCreditRiskColumn = keyof typeof CREDIT_RISK_CATEGORIES;

export const CATEGORICAL_COLUMNS = Object.keys(CREDIT_RISK_CATEGORIES) as CategoricalCreditRiskColumn[];

/** Numeric columns in file order, the label excluded. */
export const NUMERIC_FEATURE_COLUMNS = [
  'person_age',
  'person_income',
  'person_emp_length',
  'loan_amnt',
  'loan_int_rate',
  'loan_percent_income',
  'cb_person_cred_hist_length',
] as const;

/** The 11 model inputs in file order (every column but the label). */
export const FEATURE_COLUMNS = CREDIT_RISK_COLUMNS.filter((c) => c !== LABEL_COLUMN) as Exclude<CreditRiskColumn, 'loan_status'>[];

/** Only these two columns have missing values in the real data. */
export const NULLABLE_COLUMNS = ['person_emp_length', 'loan_int_rate'] as const;

// What a loan-default input must satisfy: the 12 columns, numeric where numeric, and a 0/1
// label that is never missing. Feature values are not constrained further, as in the
// reference: missing values are imputed or routed by the trees, and a category the training
// data never had gets an all-zero one-hot block when scoring.
export const creditRiskSchema: Schema = {
  columns: CREDIT_RISK_COLUMNS.map((name) => {
    if (name === LABEL_COLUMN) return { name, type: 'binary', nullable: false } as const;
    if (name in CREDIT_RISK_CATEGORIES) return { name, type: 'category', nullable: true } as const;
    return { name, type: 'number', nullable: true } as const;
  }),
};

// What the real Kaggle file looks like, stricter than the input contract above: whole numbers
// where the raw file has them, the known category sets, missing values only in the two
// columns that have them. The synthetic generator is held to this profile by its tests.
export const creditRiskReferenceSchema: Schema = {
  columns: [
    { name: 'person_age', type: 'integer', nullable: false },
    { name: 'person_income', type: 'number', nullable: false },
    { name: 'person_home_ownership', type: 'category', categories: CREDIT_RISK_CATEGORIES.person_home_ownership, nullable: false },
    { name: 'person_emp_length', type: 'integer', nullable: true },
    { name: 'loan_intent', type: 'category', categories: CREDIT_RISK_CATEGORIES.loan_intent, nullable: false },
    { name: 'loan_grade', type: 'category', categories: CREDIT_RISK_CATEGORIES.loan_grade, nullable: false },
    { name: 'loan_amnt', type: 'number', nullable: false },
    { name: 'loan_int_rate', type: 'number', nullable: true },
    { name: 'loan_status', type: 'binary', nullable: false },
    { name: 'loan_percent_income', type: 'number', nullable: false },
    { name: 'cb_person_default_on_file', type: 'category', categories: CREDIT_RISK_CATEGORIES.cb_person_default_on_file, nullable: false },
    { name: 'cb_person_cred_hist_length', type: 'integer', nullable: false },
  ],
};

/** Display names of the label's classes 0 and 1 (classification report, confusion matrix). */
export const TARGET_NAMES = ['Non-Default', 'Default'];
