// bench:predict's child for our engine: loads the model, scores the float64 test matrix,
// prints one JSON line {seconds, auc, loadSeconds}. `seconds` is what the peer's covers:
// taking the rows in (conversion) and scoring them to probabilities.
//   mode compiled: compile-model's form (WebAssembly on `threads` threads);
//   mode traversal: the canonical model's tree-by-tree traversal (one thread).
import { readFileSync } from 'node:fs';
import { compileModel, parseModel, predict } from '../../src/gbdt/index.ts';
import { rocAucScore } from '../../src/ml/index.ts';

const [modelPath, xTest, yTest, cols, threads, mode] = process.argv.slice(2);
const f64 = (p: string) => {
  const b = readFileSync(p);
  return b.byteOffset % 8 === 0 ? new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8) : new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const nCols = Number(cols);
const x = f64(xTest);
const y = f64(yTest);
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
