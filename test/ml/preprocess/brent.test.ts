import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brentMinimize } from '../../../src/ml/index.ts';
import { loadFixture } from './mlFixtures.ts';

// The fixture functions use only + - * and abs, which Python and JS evaluate bit-identically,
// so every evaluated point, the result and the counters must equal scipy's exactly.
const FUNCTIONS: Record<string, (x: number) => number> = {
  quadratic: (x) => (x - 0.3) * (x - 0.3) + 1.5,
  quartic: (x) => (x * x - 2.0) * (x * x - 2.0) + 0.25 * x,
  shifted: (x) => (x + 7.25) * (x + 7.25) * 3.0 - 4.0,
  flat: () => 1.0,
  abs: (x) => Math.abs(x - 1.0 / 3.0),
  far: (x) => (x - 1234.5) * (x - 1234.5),
};

test('brentMinimize replays scipy.optimize.brent evaluation for evaluation', () => {
  const cases = loadFixture('preprocess_synthetic.json').brent;
  assert.ok(cases.length >= 18);
  for (const c of cases) {
    const trace: number[][] = [];
    const f = FUNCTIONS[c.function];
    const r = brentMinimize((x) => {
      const v = f(x);
      trace.push([x, v]);
      return v;
    }, c.brack);
    const label = `${c.function} brack=${c.brack}`;
    assert.deepEqual(trace, c.trace, label);
    assert.equal(r.x, c.x, label);
    assert.equal(r.fx, c.fx, label);
    assert.equal(r.iterations, c.iterations, label);
    assert.equal(r.evaluations, c.evaluations, label);
  }
});

test('brentMinimize honours maxiter and tol', () => {
  const f = (x: number) => (x - 0.123456789) * (x - 0.123456789);
  const short = brentMinimize(f, [-2, 2], { maxiter: 3 });
  assert.equal(short.iterations, 3);
  const g = (x: number) => Math.abs(x - 0.123456789) ** 1.5;
  const loose = brentMinimize(g, [-2, 2], { tol: 1e-2 });
  const tight = brentMinimize(g, [-2, 2]);
  assert.ok(loose.evaluations < tight.evaluations, `${loose.evaluations} < ${tight.evaluations}`);
  assert.ok(Math.abs(tight.x - 0.123456789) < 1e-6);
  assert.ok(Math.abs(brentMinimize(f, [-2, 2]).x - 0.123456789) < 1e-8);
});
