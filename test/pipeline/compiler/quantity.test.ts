// Kubernetes quantities, parsed exactly as apimachinery's grammar has them
// (k8s.io/apimachinery/pkg/api/resource/quantity.go: number, then a binary SI, decimal SI or
// exponent suffix), and the deprecated numeric fields computed as the KFP SDK does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareQuantities, isWholeQuantity, legacyCpu, legacyMemoryGb, parseQuantity, quantityToInteger } from '../../../src/pipeline/index.ts';

const q = (text: string) => {
  const parsed = parseQuantity(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
};

test('the grammar: every suffix, fractions, exponents; nothing else', () => {
  for (const ok of ['0', '1', '100n', '250u', '500m', '2.5', '.5', '5.', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '64Mi', '1.5Gi', '1Ti', '1Pi', '1Ei', '1e3', '1E3', '5e-3', '12e+6']) q(ok);
  for (const bad of ['', ' 1', '1 ', '-1', '+1', '1K', '1mi', '1KiB', '64 Mi', 'Mi', '1.2.3', '0x10', '1e', '1e1000', 'NaN', 'Infinity', '1'.repeat(65), '1\n']) {
    assert.equal(parseQuantity(bad), undefined, JSON.stringify(bad));
  }
});

test('values are exact: comparisons and whole numbers need no floating point', () => {
  assert.equal(compareQuantities(q('500m'), q('0.5')), 0);
  assert.equal(compareQuantities(q('1Gi'), q('1G')), 1);
  assert.equal(compareQuantities(q('1000M'), q('1G')), 0);
  assert.equal(compareQuantities(q('1e3'), q('1k')), 0);
  assert.equal(compareQuantities(q('999999999999999999999'), q('1000000000000000000000')), -1);
  assert.equal(quantityToInteger(q('64Mi')), 67108864n);
  assert.equal(quantityToInteger(q('1Ei')), 2n ** 60n);
  assert.ok(isWholeQuantity(q('0.5Mi')));
  assert.ok(!isWholeQuantity(q('100m')));
  assert.ok(!isWholeQuantity(q('1e-3')));
});

// Expected numbers are those the KFP SDK writes for the same strings: its own compiled test data
// (test_data/sdk_compiled_pipelines/valid/local_execution/local_execution_pipeline_with_k8s_only_methods.yaml@HEAD:
// set_cpu_limit('1000m') -> cpuLimit: 1.0, set_memory_limit('256Mi') -> memoryLimit: 0.268435456) and its
// compiler tests (sdk/python/kfp/compiler/compiler_test.py@HEAD, TestResourceConfig: '5' -> 5.0, '50G' -> 50.0,
// '2' -> 2.0, '4G' -> 4.0); the others follow _cpu_to_float / _memory_to_float (compiler_utils.py@HEAD) with the
// units of sdk/python/kfp/dsl/constants.py@HEAD.
test('legacy numbers equal what the KFP SDK writes', () => {
  const cpu: [string, number][] = [['1000m', 1], ['5', 5], ['2', 2], ['500m', 0.5], ['0.25', 0.25], ['1500m', 1.5]];
  for (const [text, expected] of cpu) assert.equal(legacyCpu(q(text)), expected, text);
  const memory: [string, number][] = [
    ['256Mi', 0.268435456], ['50G', 50], ['4G', 4], ['4Gi', 4.294967296], ['64Mi', 0.067108864], ['512M', 0.512], ['1Ti', 1099.511627776], ['1k', 0.000001], ['2000000000', 2],
  ];
  for (const [text, expected] of memory) assert.equal(legacyMemoryGb(q(text)), expected, text);
});
