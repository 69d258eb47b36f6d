// bench:train-step's child for the pipeline's train-model step: runs the component (as the
// local runner does, through executeComponent) on the bench:train matrix and prints one JSON
// line {seconds, trainSeconds, sha256}. `seconds` is the whole step: reading its inputs, the
// checks, binning, boosting with per-round progress, writing the model JSON; `trainSeconds` the
// part the step itself logs as training (binning + boosting, what bench:train times).
//   mode csv      the matrix and labels as CSV files written by an earlier process
//   mode parquet  the matrix as Parquet (artifact_format parquet), labels as CSV
//   mode written  this process writes the CSVs first (untimed), as the pipeline's earlier steps
//                 do in a local run, so the step reads what its writer remembered
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readFloat64File } from './float64File.ts';
import { executeComponent } from '../../src/pipeline/index.ts';
import { trainModel } from '../../src/pipelines/loan-default/index.ts';
import { writeLabels, writeMatrix } from '../../src/pipelines/loan-default/datasetFiles.ts';

const [mode, xTrain, yTrain, cols, threads, rounds, workDir] = process.argv.slice(2);
mkdirSync(workDir, { recursive: true });
let x: string;
let y: string;
if (mode === 'written') {
  const labels = readFloat64File(yTrain);
  const data = readFloat64File(xTrain);
  x = join(workDir, `x_train_${process.pid}.csv`);
  y = join(workDir, `y_train_${process.pid}.csv`);
  await writeMatrix({ data, nRows: labels.length, nCols: Number(cols) }, x);
  await writeLabels(labels, y);
} else if (mode === 'csv' || mode === 'parquet') {
  x = xTrain;
  y = yTrain;
} else {
  throw new Error(`mode must be csv, parquet or written, got ${mode}`);
}
const out = join(workDir, `model_${process.pid}.json`);
const artifact = (uri: string, schemaTitle: string) => ({ artifacts: [{ uri, type: { schemaTitle } }] });
let trainSeconds = NaN;
const started = performance.now();
await executeComponent(
  trainModel,
  {
    inputs: {
      parameterValues: { nthread: Number(threads), num_boost_round: Number(rounds) },
      artifacts: { x_train: artifact(x, 'system.Dataset'), y_train: artifact(y, 'system.Dataset') },
    },
    outputs: { artifacts: { model: artifact(out, 'system.Model') } },
  },
  {
    reporter: {
      // The step's own log line gives the training part (binning + boosting) of the same run.
      log: (line) => {
        const m = /trained \d+ rounds in ([\d.]+) s/.exec(line);
        if (m) trainSeconds = Number(m[1]);
      },
      progress: () => {},
    },
  },
);
const seconds = (performance.now() - started) / 1000;
const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
for (const f of mode === 'written' ? [out, x, y] : [out]) rmSync(f, { force: true });
console.log(JSON.stringify({ seconds, trainSeconds, sha256 }));
