// ONNX export against onnxruntime-node (its bundled CPU backend): every fixture model kind
// exported and run gives XGBoost's predictions (probabilities, or values) within 1e-5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { parseModel, predict, toOnnx } from '../../../src/gbdt/index.ts';
import { numGroup } from '../../../src/gbdt/model.ts';
import { fixtureModelBytes, loadFormatFixtures, maxAbsDiff } from '../io/formatFixtures.ts';

const fixtures = loadFormatFixtures();
const x = fixtures.x;

for (const [name, expected] of Object.entries(fixtures.models)) {
  test(`ONNX export of '${name}' runs in onnxruntime and predicts what XGBoost predicts`, async () => {
    const model = parseModel(fixtureModelBytes(name, 'json'), `${name}.json`);
    const session = await ort.InferenceSession.create(toOnnx(model));
    const input = new ort.Tensor('float32', Float32Array.from(x.data), [x.nRows, x.nCols]);
    const out = await session.run({ input });
    const groups = numGroup(model);
    let got: Float64Array;
    if (model.objective === 'binary:logistic') {
      const p = out.probabilities.data as Float32Array;
      got = Float64Array.from({ length: x.nRows }, (_, r) => p[2 * r + 1]);
      assert.deepEqual(Array.from(out.label.data as BigInt64Array, Number), Array.from(got, (v) => (v > 0.5 ? 1 : 0)));
    } else if (model.objective.startsWith('multi:')) {
      got = Float64Array.from(out.probabilities.data as Float32Array);
      // multi:softmax predicts the class; its probabilities are softprob's.
      if (model.objective === 'multi:softmax') {
        assert.deepEqual(Array.from(out.label.data as BigInt64Array, Number), Array.from(expected.prediction));
        got = Float64Array.from(predict({ ...model, objective: 'multi:softprob' }, x));
        assert.ok(maxAbsDiff(out.probabilities.data as Float32Array, got) <= 1e-5);
        return;
      }
    } else {
      got = Float64Array.from(out.variable.data as Float32Array);
    }
    assert.equal(got.length, x.nRows * groups);
    const diff = maxAbsDiff(got, expected.prediction);
    assert.ok(diff <= 1e-5, `max difference ${diff}`);
  });
}
