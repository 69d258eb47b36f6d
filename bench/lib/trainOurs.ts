// bench:train's child for our engine: loads the float64 files, trains with the given XGBoost
// parameters and thread count, scores the test rows, prints one JSON line {seconds, auc}.
// `seconds` covers what the peer's covers: binning the matrix plus boosting.
import { readFileSync } from 'node:fs';
import { train } from '../../src/gbdt/index.ts';
import { rocAucScore } from '../../src/ml/index.ts';
import { writeFileAtomicSync } from '../../src/core/index.ts';

// An optional last argument saves the model there (XGBoost JSON, written atomically).
const [xTrain, yTrain, xTest, yTest, cols, threads, paramsJson, rounds, saveTo] = process.argv.slice(2);
const f64 = (p: string) => {
  const b = readFileSync(p);
  // A view when aligned (large reads are), so peak memory is not inflated by a copy.
  return b.byteOffset % 8 === 0 ? new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8) : new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const nCols = Number(cols);
const y = f64(yTrain);
const started = performance.now();
const booster = train({ data: f64(xTrain), nRows: y.length, nCols }, y, {
  ...(JSON.parse(paramsJson) as Record<string, unknown>),
  nthread: Number(threads),
  num_boost_round: Number(rounds),
});
const seconds = (performance.now() - started) / 1000;
const yt = f64(yTest);
const p = booster.predict({ data: f64(xTest), nRows: yt.length, nCols });
if (saveTo) writeFileAtomicSync(saveTo, booster.toXgboostJson());
console.log(JSON.stringify({ seconds, auc: rocAucScore(yt, p), trees: booster.model.trees.length }));
