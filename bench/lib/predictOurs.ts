// bench:predict's child for our engine: loads the model, scores the float64 test matrix,
// prints one JSON line {seconds, auc, loadSeconds}. `seconds` is what the peer's covers:
// taking the rows in (conversion) and scoring them to probabilities.
//   mode compiled: compile-model's form (WebAssembly on `threads` threads);
//   mode traversal: the canonical model's tree-by-tree traversal (one thread).
import { readFileSync } from 'node:fs';
import { readFloat64File } from './float64File.ts';
import { compileModel, parseModel, predict } from '../../src/gbdt/index.ts';
import { rocAucScore } from '../../src/ml/index.ts';

const [modelPath, xTest, yTest, cols, threads, mode] = process.argv.slice(2);

const nCols = Number(cols);
const x = readFloat64File(xTest);
const y = readFloat64File(yTest);
const m = { data: x, nRows: y.length, nCols };
const loadStart = performance.now();
const model = parseModel(readFileSync(modelPath), 'json');
const compiled = mode === 'compiled' ? compileModel(model) : undefined;
const loadSeconds = (performance.now() - loadStart) / 1000;
const started = performance.now();
const p = compiled ? compiled.predict(m, { nthread: Number(threads) }) : predict(model, m);
const seconds = (performance.now() - started) / 1000;
compiled?.dispose();
console.log(JSON.stringify({ seconds, rowsPerSecond: y.length / seconds, loadSeconds, auc: rocAucScore(y, p) }));
