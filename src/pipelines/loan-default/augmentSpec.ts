// How the reference `load_data` step perturbs the credit-risk table when it grows it, as an
// augmentation spec. Order matters: it is the order in which the reference draws its random
// numbers (numeric columns first, then the four categoricals), which keeps seeded runs
// identical to `np.random.seed(seed)` followed by the reference code.
import type { AugmentSpec } from '../../ml/augment/index.ts';

export const CREDIT_RISK_AUGMENT_SPEC: AugmentSpec = {
  perturbations: [
    { column: 'person_age', kind: 'integerNoise', low: -1, high: 1 },
    { column: 'person_income', kind: 'normalNoise', mean: 0, std: 10 },
    { column: 'person_emp_length', kind: 'integerNoise', low: -1, high: 1 },
    { column: 'loan_amnt', kind: 'normalNoise', mean: 0, std: 5 },
    { column: 'loan_int_rate', kind: 'normalNoise', mean: 0, std: 0.2 },
    { column: 'loan_percent_income', kind: 'integerNoise', low: 0, high: 100, divisor: 1000 },
    { column: 'cb_person_cred_hist_length', kind: 'integerNoise', low: 0, high: 2 },
    { column: 'person_home_ownership', kind: 'resampleCategory', probability: 0.1 },
    { column: 'loan_intent', kind: 'resampleCategory', probability: 0.1 },
    { column: 'loan_grade', kind: 'resampleCategory', probability: 0.1 },
    { column: 'cb_person_default_on_file', kind: 'resampleCategory', probability: 0.1 },
  ],
};
