// The reference preprocessing, as a ColumnTransformer spec: median imputation (no scaling),
// Yeo-Johnson + standardisation, and one-hot encoding, in that order -> 3 + 4 + 19 = 26 columns.
import type { ColumnTransformerSpec } from '../../ml/index.ts';

export const LOAN_DEFAULT_PREPROCESSOR: ColumnTransformerSpec = {
  transformers: [
    { name: 'num', kind: 'medianImputer', columns: ['loan_int_rate', 'person_emp_length', 'cb_person_cred_hist_length'] },
    { name: 'pow', kind: 'yeoJohnson', columns: ['person_age', 'person_income', 'loan_amnt', 'loan_percent_income'] },
    { name: 'cat', kind: 'oneHot', columns: ['person_home_ownership', 'loan_intent', 'loan_grade', 'cb_person_default_on_file'] },
  ],
};
