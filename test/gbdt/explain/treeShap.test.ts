// TreeSHAP against XGBoost's pred_contribs on every fixture model kind (hist and exact trees,
// pruned nodes, missing values, multi-class, several trees per round), and the additivity that
// defines it: each row's contributions sum to its margin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel, predict, predictContributions } from '../../../src/gbdt/index.ts';
import { numGroup } from '../../../src/gbdt/model.ts';
import { fixtureModelBytes, loadFormatFixtures, maxAbsDiff } from '../io/formatFixtures.ts';

const fixtures = loadFormatFixtures();

for (const [name, expected] of Object.entries(fixtures.models)) {
  test(`TreeSHAP of '${name}' equals XGBoost's pred_contribs and sums to the margin`, () => {
    const model = parseModel(fixtureModelBytes(name, 'json'), `${name}.json`);
    const contribs = predictContributions(model, fixtures.x);
    assert.equal(contribs.length, expected.contribs.length);
    const diff = maxAbsDiff(contribs, expected.contribs);
    assert.ok(diff <= 1e-5, `max difference ${diff}`);
    const margins = predict(model, fixtures.x, { outputMargin: true });
    const width = model.numFeature + 1;
    const groups = numGroup(model);
    for (let r = 0; r < fixtures.x.nRows; r++) {
      for (let g = 0; g < groups; g++) {
        let sum = 0;
        for (let f = 0; f < width; f++) sum += contribs[(r * groups + g) * width + f];
        assert.ok(Math.abs(sum - margins[r * groups + g]) <= 1e-5, `row ${r} group ${g}: ${sum} vs ${margins[r * groups + g]}`);
      }
    }
  });
}
