// A deterministic stand-in for the Kaggle credit-risk CSV, so the project runs out of the box
// without downloading anything. Same 12 columns, kinds and category sets; marginals chosen
// from the real file (age 20-70 with a thin tail past 100, log-normal income, category
// frequencies, ~2.7% missing employment length and ~9.6% missing interest rate, rate tied to
// grade, credit history tied to age) and a label drawn from a logistic model of grade,
// loan-to-income, home ownership, income, intent, rate and prior default, with the intercept
// solved so that 21.8% of rows are positive as in the real data. Boosted trees reach an AUC
// near 0.9 on it.
//
// Default size 20,000 rows: 15,000 training rows keep the full 500-round, depth-10 training of
// `npm start` to seconds on two cores; pass `rows: 32581` for the real file's size.
import { UsageError } from '../../core/errors.ts';
import { RandomState } from '../../core/random/randomState.ts';
import { categoricalColumn, numericColumn } from '../../data/column.ts';
import { Table } from '../../data/table.ts';
import { CREDIT_RISK_CATEGORIES, CREDIT_RISK_COLUMNS } from './schema.ts';

export const DEFAULT_SYNTHETIC_ROWS = 20_000;

export interface SyntheticOptions {
  rows?: number;
  seed?: number;
}

const HOME = CREDIT_RISK_CATEGORIES.person_home_ownership; // MORTGAGE OTHER OWN RENT
const INTENT = CREDIT_RISK_CATEGORIES.loan_intent;
const GRADE = CREDIT_RISK_CATEGORIES.loan_grade;
const DEFAULT_ON_FILE = CREDIT_RISK_CATEGORIES.cb_person_default_on_file;

const INTENT_FREQ = [0.16, 0.1981, 0.1106, 0.1863, 0.1695, 0.1755];
const GRADE_FREQ = [0.3308, 0.3208, 0.1982, 0.1113, 0.0296, 0.0074, 0.0019];
const RATE_MEAN = [7.33, 11.0, 13.46, 15.36, 17.01, 18.61, 20.25];
const RATE_STD = [1.04, 0.91, 0.96, 1.11, 1.32, 1.38, 1.07];
const TARGET_POSITIVE_RATE = 0.2182;

// Log-odds contributions of the label model.
const GRADE_EFFECT = [0, 0.6, 1.0, 3.3, 3.6, 3.9, 6.0];
const HOME_EFFECT = [0, 1.2, -0.9, 1.3];
const INTENT_EFFECT = [0.55, -0.25, 0.5, 0.4, 0, -0.45];

export function generateSyntheticCreditRisk(options: SyntheticOptions = {}): Table {
  const rows = options.rows ?? DEFAULT_SYNTHETIC_ROWS;
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(rows) || rows < 0) throw new UsageError('synthetic.badOption', { option: 'rows', value: String(rows) });
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError('synthetic.badOption', { option: 'seed', value: String(seed) });
  const rng = new RandomState(seed);

  const age = new Float64Array(rows);
  const income = new Float64Array(rows);
  const home = new Int32Array(rows);
  const empLength = new Float64Array(rows);
  const intent = new Int32Array(rows);
  const grade = new Int32Array(rows);
  const amount = new Float64Array(rows);
  const rate = new Float64Array(rows);
  const status = new Float64Array(rows);
  const percent = new Float64Array(rows);
  const onFile = new Int32Array(rows);
  const history = new Float64Array(rows);
  const logit = new Float64Array(rows);

  for (let i = 0; i < rows; i++) {
    // Age: 20 + log-normal years (median 26, 99th percentile ~50), a few implausible outliers as in the real file.
    age[i] = rng.randomSample() < 2e-4 ? rng.integer(100, 145) : 20 + Math.floor(Math.exp(rng.normal(1.87, 0.65)));
    history[i] = Math.min(30, Math.max(2, Math.round((age[i] - 19) * (0.35 + 0.5 * rng.randomSample()))));

    const logIncome = rng.normal(10.9 + 0.012 * Math.min(age[i] - 27, 30), 0.55);
    income[i] = Math.max(4000, Math.round(Math.exp(logIncome) / 100) * 100);

    const mortgageShare = sigmoid(-0.2 + 1.6 * (logIncome - 10.9));
    const u = rng.randomSample();
    home[i] = u < 0.0033 ? 1 : u < 0.0033 + 0.0793 ? 2 : rng.randomSample() < mortgageShare ? 0 : 3;

    empLength[i] = rng.randomSample() < 0.0275 ? NaN : Math.min(Math.floor(-6 * Math.log(1 - rng.randomSample())), age[i] - 14);
    intent[i] = pick(rng, INTENT_FREQ);
    grade[i] = pick(rng, GRADE_FREQ);
    onFile[i] = grade[i] >= 2 && rng.randomSample() < 0.5 ? 1 : 0;

    const rawRate = Math.max(5.42, rng.normal(RATE_MEAN[grade[i]], RATE_STD[grade[i]]));
    rate[i] = rng.randomSample() < 0.0956 ? NaN : Math.round(rawRate * 100) / 100;

    // Lenders cap the loan at 83% of income (the real maximum of loan_percent_income).
    const logAmount = 8.94 + 0.52 * (logIncome - 10.9) + 0.05 * grade[i] + rng.normal(0, 0.6);
    const cap = Math.min(35000, 0.83 * income[i]);
    amount[i] = Math.max(500, Math.round(Math.min(Math.exp(logAmount), cap) / 25) * 25);
    percent[i] = Math.round((amount[i] / income[i]) * 100) / 100;

    const pct = amount[i] / income[i];
    logit[i] =
      GRADE_EFFECT[grade[i]] +
      HOME_EFFECT[home[i]] +
      INTENT_EFFECT[intent[i]] +
      10 * (pct - 0.17) +
      18 * Math.max(0, pct - 0.3) -
      1.0 * (logIncome - 10.9) +
      0.6 * (rawRate - RATE_MEAN[grade[i]]) +
      0.25 * onFile[i];
  }

  const intercept = solveIntercept(logit, TARGET_POSITIVE_RATE);
  for (let i = 0; i < rows; i++) status[i] = rng.randomSample() < sigmoid(logit[i] + intercept) ? 1 : 0;

  const byName = {
    person_age: numericColumn('person_age', age),
    person_income: numericColumn('person_income', income),
    person_home_ownership: categoricalColumn('person_home_ownership', home, HOME),
    person_emp_length: numericColumn('person_emp_length', empLength),
    loan_intent: categoricalColumn('loan_intent', intent, INTENT),
    loan_grade: categoricalColumn('loan_grade', grade, GRADE),
    loan_amnt: numericColumn('loan_amnt', amount),
    loan_int_rate: numericColumn('loan_int_rate', rate),
    loan_status: numericColumn('loan_status', status),
    loan_percent_income: numericColumn('loan_percent_income', percent),
    cb_person_default_on_file: categoricalColumn('cb_person_default_on_file', onFile, DEFAULT_ON_FILE),
    cb_person_cred_hist_length: numericColumn('cb_person_cred_hist_length', history),
  };
  return new Table(CREDIT_RISK_COLUMNS.map((name) => byName[name]));
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function pick(rng: RandomState, freq: readonly number[]): number {
  let u = rng.randomSample();
  for (let k = 0; k < freq.length - 1; k++) {
    u -= freq[k];
    if (u < 0) return k;
  }
  return freq.length - 1;
}

/** The shift b with mean(sigmoid(logit + b)) = rate, by bisection (the mean is increasing in b). */
function solveIntercept(logit: Float64Array, rate: number): number {
  if (logit.length === 0) return 0;
  let lo = -30;
  let hi = 30;
  for (let iter = 0; iter < 60; iter++) {
    const mid = (lo + hi) / 2;
    let sum = 0;
    for (let i = 0; i < logit.length; i++) sum += sigmoid(logit[i] + mid);
    if (sum / logit.length < rate) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
