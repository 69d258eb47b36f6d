// bench:predict's child for onnxruntime-node: exports the model to ONNX (our exporter), creates
// a session with `threads` intra-op threads, scores the float64 test rows (converted to float32,
// included in the time, as the other contestants' conversion is), prints one JSON line.
import { readFileSync } from 'node:fs';
import { readFloat64File } from './float64File.ts';
import * as ort from 'onnxruntime-node';
import { parseModel, toOnnx } from '../../src/gbdt/index.ts';
import { rocAucScore } from '../../src/ml/index.ts';

const [modelPath, xTest, yTest, cols, threads] = process.argv.slice(2);

const nCols = Number(cols);
const x = readFloat64File(xTest);
const y = readFloat64File(yTest);
const loadStart = performance.now();
const session = await ort.InferenceSession.create(toOnnx(parseModel(readFileSync(modelPath), 'json')), {
  intraOpNumThreads: Number(threads),
  interOpNumThreads: 1,
});
const loadSeconds = (performance.now() - loadStart) / 1000;
const started = performance.now();
const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x), [y.length, nCols]) });
const seconds = (performance.now() - started) / 1000;
const probabilities = out.probabilities.data as Float32Array;
const p = Float64Array.from({ length: y.length }, (_, r) => probabilities[2 * r + 1]);
console.log(JSON.stringify({ seconds, rowsPerSecond: y.length / seconds, loadSeconds, auc: rocAucScore(y, p) }));
