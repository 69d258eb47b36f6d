// checkDeployOptions checks a plain node selector without zod (a run then never loads it): for
// every input, valid or hostile, it gives exactly what the schema gives, or the schema's error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeployOptions, checkDeployOptionsWithSchema } from '../../src/pipeline/index.ts';

const outcome = (check: (w: string, o: unknown) => unknown, options: unknown): { ok: unknown } | { error: string } => {
  try {
    return { ok: check('deploy options of x', options) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

const withGetter = { nodeSelector: {} as Record<string, string> };
Object.defineProperty(withGetter.nodeSelector, 'zone', { get: () => 'a', enumerable: true });
const hidden = { nodeSelector: {} as Record<string, string> };
Object.defineProperty(hidden.nodeSelector, 'zone', { value: 'a', enumerable: false });
const inputs: unknown[] = [
  { nodeSelector: { intelvm: 'sgx' } },
  { nodeSelector: { 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': 'eu-1a', '1': '2' } },
  { nodeSelector: {} },
  { nodeSelector: { intelvm: '' } },
  { nodeSelector: null },
  { nodeSelector: undefined },
  {},
  { nodeSelector: { intelvm: 'sgx' }, caching: false },
  { nodeSelector: { 'bad key!': 'x' } },
  { nodeSelector: { ok: 'bad value!' } },
  { nodeSelector: { ok: 7 } },
  { nodeSelector: { __proto__: { polluted: 'x' } } },
  { nodeSelector: JSON.parse('{"__proto__": "x"}') as unknown },
  { nodeSelector: Object.assign(Object.create(null) as object, { a: 'b' }) },
  { nodeSelector: { [Symbol('s')]: 'x', a: 'b' } },
  { nodeSelector: ['a'] },
  { nodeSelector: 'intelvm=sgx' },
  withGetter,
  hidden,
  { nodeSelector: { ['x'.repeat(64)]: 'y' } },
  { nodeSelector: { a: 'y'.repeat(64) } },
  null,
  'nodeSelector',
];

test('attack: a plain node selector checked without the schema equals the schema on every input (hostile ones too)', () => {
  for (const options of inputs) {
    assert.deepStrictEqual(outcome(checkDeployOptions, options), outcome(checkDeployOptionsWithSchema, options), String(JSON.stringify(options)));
  }
});

test('the checked node selector is a copy: changing the input later changes nothing', () => {
  const options = { nodeSelector: { intelvm: 'sgx' } };
  const checked = checkDeployOptions('x', options);
  options.nodeSelector.intelvm = 'other';
  assert.deepEqual(checked, { nodeSelector: { intelvm: 'sgx' } });
});
