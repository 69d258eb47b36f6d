import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomState } from '../../../src/core/index.ts';
import { numpySum } from '../../../src/ml/index.ts';
import { loadFixture } from './mlFixtures.ts';

test('numpySum equals np.sum bit for bit, across the pairwise and 8192-buffer boundaries', () => {
  const f = loadFixture('preprocess_synthetic.json').numpySum;
  const rs = new RandomState(f.seed);
  const v = new Float64Array(100000);
  for (let i = 0; i < v.length; i++) {
    const u1 = rs.randomSample();
    const u2 = rs.randomSample();
    v[i] = (u1 - 0.5) * (1.0 + u2 * 1e6);
  }
  let sequentialDiffers = 0;
  for (const { n, sum, nansum } of f.sums) {
    assert.equal(numpySum(v, 0, n), sum, `sum of ${n}`);
    // np.nansum: NaNs replaced by 0, then the same sum over all n entries
    const z = v.slice(0, n).map((x, i) => (i % 3 === 0 ? 0 : x));
    assert.equal(numpySum(z), nansum, `nansum of ${n}`);
    let seq = 0;
    for (let i = 0; i < n; i++) seq += v[i];
    if (seq !== sum) sequentialDiffers++;
  }
  assert.ok(sequentialDiffers > 0, 'the fixture must distinguish pairwise from sequential summation');
});
