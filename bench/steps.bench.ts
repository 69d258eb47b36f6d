// `npm run bench:steps` — the three data steps of the loan-default pipeline, each ours against
// the Python stage it replaces (issue 17, item 3), alternating:
//   load-data              vs pd.read_csv + augment (bench/reference/loan_default_reference.py)
//   create-train-test-set  vs train_test_split
//   preprocess-features    vs ColumnTransformer fit_transform + transform
// Ours: each step as `sealed component <step>` in its own node process, timed around the call
// like run.json's durationMs (reading its input artifacts and writing its outputs included;
// the whole process's wall, start-up included, is printed too). Python: the stage's own timer
// inside one process, data already in memory between stages (what the reference prints), so
// the comparison is conservative for us.
//
//   npm run bench:steps -- [--runs 5] [--data-size 1000000] [--baseline /path/to/other/checkout] [--ours /path]
//
// --baseline runs another checkout's bin/sealed as a third contestant (before/after a change);
// --ours replaces this checkout (e.g. a built snapshot, while the tree is being edited).
// The step inputs are the outputs of the previous step of the same contestant's run.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAlternating, metric, type Contestant, type Sample } from './lib/alternate.ts';
import { parseBenchArgs } from './lib/args.ts';
import { measureProcess } from './lib/processStats.ts';
import { realDataPath } from './lib/paths.ts';
import { fmtRatio, fmtSeconds, printTable } from './lib/report.ts';
import { pythonHas, runPythonJson } from './lib/spawnJson.ts';
import { median } from './lib/stats.ts';
import { repoRoot } from '../test/helpers/sharedData.ts';

const STEPS = ['load-data', 'create-train-test-set', 'preprocess-features'] as const;

// The reference's stages, statement for statement (its augment is imported, not copied).
const PYTHON_STAGES = String.raw`
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, pandas as pd
from loan_default_reference import augment
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, PowerTransformer
data_path, data_size = sys.argv[2], int(sys.argv[3])
times = {}
t = time.perf_counter()
data = pd.read_csv(data_path)
if data_size > 0:
    data = augment(data, data_size, np.random.default_rng(0))
times["load-data"] = time.perf_counter() - t
t = time.perf_counter()
y = data["loan_status"]
X = data.drop(["loan_status"], axis=1)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
times["create-train-test-set"] = time.perf_counter() - t
t = time.perf_counter()
pre = ColumnTransformer(transformers=[
    ("num", Pipeline(steps=[("imputer", SimpleImputer(strategy="median"))]), ["loan_int_rate", "person_emp_length", "cb_person_cred_hist_length"]),
    ("pow", PowerTransformer(), ["person_age", "person_income", "loan_amnt", "loan_percent_income"]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["person_home_ownership", "loan_intent", "loan_grade", "cb_person_default_on_file"]),
], remainder="passthrough")
Xtr = pre.fit_transform(X_train)
Xte = pre.transform(X_test)
Xtr = Xtr.toarray() if hasattr(Xtr, "toarray") else Xtr
Xte = Xte.toarray() if hasattr(Xte, "toarray") else Xte
times["preprocess-features"] = time.perf_counter() - t
print(json.dumps({"rows": len(data), "times": times}))
`;

// Runs one step through the CLI inside a node process and times that call only, as the local
// runner times a task for run.json. First the three steps run once on a 200-row sample in the
// same process, so the CLI, its schemas and the step's modules are loaded (in a pipeline run
// they are loaded once for all tasks) without warming the code on the real data.
const IN_PROCESS = `
const [root, warm, step, ...rest] = process.argv.slice(1);
const { importApp } = await import(new URL('file://' + root + '/bin/entry.mjs').href);
const { main } = await importApp('cli/main');
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
const w = (f) => warm + '/' + f;
const warmUp = [
  ['load-data', '--data_url=' + w('sample.csv'), '--credit_risk_dataset=' + w('raw.csv')],
  ['create-train-test-set', '--data=' + w('raw.csv'), '--x_train_data=' + w('xtr.csv'), '--y_train_data=' + w('ytr.csv'), '--x_test_data=' + w('xte.csv'), '--y_test_data=' + w('yte.csv')],
  ['preprocess-features', '--x_train=' + w('xtr.csv'), '--x_test=' + w('xte.csv'), '--x_train_processed=' + w('ptr.csv'), '--x_test_processed=' + w('pte.csv'), '--preprocessor=' + w('pp.json')],
];
for (const argv of warmUp) if ((await main(['component', ...argv])) !== 0) process.exit(3);
const t = performance.now();
const code = await main(['component', step, ...rest]);
const seconds = (performance.now() - t) / 1000;
process.stdout.write = write;
if (code !== 0) process.exit(code);
console.log(JSON.stringify({ seconds }));
`;

const args = parseBenchArgs(process.argv.slice(2), 5);
const dataSize = Number(args.flags.get('data-size') ?? 0);
const baseline = args.flags.get('baseline');
const oursRoot = args.flags.get('ours');
const data = realDataPath();
if (!data) {
  console.log('bench:steps: the real dataset ../shared/data/credit_risk_dataset.csv is absent; nothing to compare on.');
  process.exit(0);
}
if (!Number.isInteger(dataSize) || dataSize < 0 || dataSize > 10_000_000) throw new Error(`--data-size must be an integer in [0, 10000000], got ${dataSize}`);
const work = mkdtempSync(join(tmpdir(), 'sealed-bench-steps-'));
// The warm-up sample: the real CSV's header and first 200 rows.
writeFileSync(join(work, 'sample.csv'), readFileSync(data, 'utf8').split('\n').slice(0, 201).join('\n') + '\n');

function sealedSteps(name: string, root: string): Contestant {
  let runNo = 0;
  return {
    name,
    run: async () => {
      const dir = join(work, `${name.replace(/\W+/g, '-')}-${runNo++}`);
      const f = (file: string) => `${dir}/${file}`;
      const argv: Record<(typeof STEPS)[number], string[]> = {
        'load-data': [`--data_url=${data}`, `--data_size=${dataSize}`, `--credit_risk_dataset=${f('raw.csv')}`],
        'create-train-test-set': [`--data=${f('raw.csv')}`, `--x_train_data=${f('x_train.csv')}`, `--y_train_data=${f('y_train.csv')}`, `--x_test_data=${f('x_test.csv')}`, `--y_test_data=${f('y_test.csv')}`],
        'preprocess-features': [`--x_train=${f('x_train.csv')}`, `--x_test=${f('x_test.csv')}`, `--x_train_processed=${f('x_train_p.csv')}`, `--x_test_processed=${f('x_test_p.csv')}`, `--preprocessor=${f('preprocessor.json')}`],
      };
      const sample: Sample = {};
      for (const step of STEPS) {
        const warm = join(dir, `warm-${step}`);
        mkdirSync(warm, { recursive: true });
        for (const f of ['sample.csv']) writeFileSync(join(warm, f), readFileSync(join(work, f)));
        const s = await measureProcess(process.execPath, ['--input-type=module', '-e', IN_PROCESS, root, warm, step, ...argv[step]]);
        sample[step] = (JSON.parse(s.stdout.trim().split('\n').pop() ?? '{}') as { seconds: number }).seconds;
        sample[`${step} (process)`] = s.seconds;
      }
      rmSync(dir, { recursive: true, force: true });
      return sample;
    },
  };
}

const contestants: Contestant[] = [sealedSteps('sealed', typeof oursRoot === 'string' ? oursRoot : repoRoot)];
if (typeof baseline === 'string') contestants.push(sealedSteps('baseline', baseline));
const havePython = pythonHas('pandas', 'sklearn');
if (havePython) {
  contestants.push({
    name: 'python',
    run: () => runPythonJson<{ times: Sample }>(PYTHON_STAGES, [join(repoRoot, 'bench/reference'), data, String(dataSize)]).times,
  });
} else console.log('bench:steps: /usr/bin/python3 with pandas and scikit-learn not found; ours only.');

console.log(`bench:steps: ${dataSize > 0 ? `${dataSize} rows (augmented)` : 'the real CSV'}, ${args.runs} alternating runs`);
try {
  const samples = await runAlternating(contestants, args.runs, console.log);
  const med = (name: string, step: string) => median(metric(samples.get(name) ?? [], step));
  const headers = ['step', ...contestants.map((c) => c.name), ...(havePython ? ['sealed / python'] : []), ...(baseline ? ['sealed / baseline'] : [])];
  const rows = [...STEPS, ...STEPS.map((s) => `${s} (process)`)].map((step) => [
    step,
    ...contestants.map((c) => fmtSeconds(med(c.name, step))),
    ...(havePython ? [fmtRatio(med('sealed', step) / med('python', step.replace(' (process)', '')))] : []),
    ...(baseline ? [fmtRatio(med('sealed', step) / med('baseline', step))] : []),
  ]);
  console.log('\nmedian seconds per step (ours: the step inside its process, and the whole process; python: the stage inside one process)');
  printTable(headers, rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}
