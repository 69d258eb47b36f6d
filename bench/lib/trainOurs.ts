// bench:train's child for our engine: loads the float64 files, trains with the given XGBoost
// parameters and thread count, scores the test rows, prints one JSON line {seconds, auc}.
// `seconds` covers what the peer's covers: binning the matrix plus boosting.
import { readFloat64File } from './float64File.ts';
import { train } from '../../src/gbdt/index.ts';
import { rocAucScore } from '../../src/ml/index.ts';
import { writeFileAtomicSync } from '../../src/core/index.ts';

// An optional last argument saves the model there (XGBoost JSON, written atomically).
const [xTrain, yTrain, xTest, yTest, cols, threads, paramsJson, rounds, saveTo] = process.argv.slice(2);

const nCols = Number(cols);
const y = readFloat64File(yTrain);
const started = performance.now();
const booster = train({ data: readFloat64File(xTrain), nRows: y.length, nCols }, y, {
  ...(JSON.parse(paramsJson) as Record<string, unknown>),
  nthread: Number(threads),
  num_boost_round: Number(rounds),
});
const seconds = (performance.now() - started) / 1000;
const yt = readFloat64File(yTest);
const p = booster.predict({ data: readFloat64File(xTest), nRows: yt.length, nCols });
if (saveTo) writeFileAtomicSync(saveTo, booster.toXgboostJson());
console.log(JSON.stringify({ seconds, auc: rocAucScore(yt, p), trees: booster.model.trees.length }));
