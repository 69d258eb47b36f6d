// parseExecutorInput takes a plainly well-formed executor input (what the local runner builds)
// without zod: for every input, well-formed or hostile, the result or the error is the schema's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExecutorInput, plainExecutorInput } from '../../src/pipeline/executor/executorInput.ts';

const artifact = { name: 'x', type: { schemaTitle: 'system.Dataset' }, uri: '/tmp/x.csv', metadata: { a: 1 } };
const good = {
  inputs: { parameterValues: { n: 3, s: 'a', nested: { deep: [1, 2] } }, artifacts: { x: { artifacts: [artifact] } } },
  outputs: { parameters: { p: { outputFile: '/tmp/p' } }, artifacts: { y: { artifacts: [{ uri: '/tmp/y.csv', type: { instanceSchema: '' } }] } }, outputFile: '/tmp/out.json' },
  extra: 'kept',
};
const holey: unknown[] = [artifact, artifact];
delete holey[0];
const getterArtifact = { uri: '/tmp/z' };
Object.defineProperty(getterArtifact, 'name', { get: () => 'n', enumerable: true });
const withSymbol = { [Symbol('s')]: 1, inputs: {} };
const inputs: unknown[] = [
  good,
  {},
  { inputs: {} },
  { inputs: { artifacts: {} }, outputs: { artifacts: {} } },
  { inputs: { artifacts: { x: { artifacts: [] } } } },
  { inputs: { artifacts: { x: { artifacts: [{ uri: '' }] } } } },
  { inputs: { artifacts: { x: { artifacts: [{ uri: 7 }] } } } },
  { inputs: { artifacts: { x: { artifacts: [{ uri: 'u', name: 3 }] } } } },
  { inputs: { artifacts: { x: { artifacts: [{ uri: 'u', type: 'system.Dataset' }] } } } },
  { inputs: { artifacts: { x: { artifacts: [{ uri: 'u', type: { schemaTitle: 1 } }] } } } },
  { inputs: { artifacts: { x: { artifacts: [{ uri: 'u', metadata: [] }] } } } },
  { inputs: { artifacts: { x: { artifacts: holey } } } },
  { inputs: { artifacts: { x: { artifacts: [getterArtifact] } } } },
  { inputs: { artifacts: { x: { artifacts: 'a' } } } },
  { inputs: { artifacts: { x: [] } } },
  { inputs: { parameterValues: [] } },
  { inputs: { parameterValues: null } },
  { inputs: null },
  { outputs: { outputFile: 1 } },
  { outputs: { parameters: { p: {} } } },
  { outputs: { parameters: { p: { outputFile: 2 } } } },
  withSymbol,
  Object.assign(Object.create(null) as object, { inputs: {} }),
  [],
  null,
  'text',
  JSON.parse('{"__proto__": {"x": 1}, "inputs": {}}') as unknown,
];

const outcome = (options: unknown, schemaOnly: boolean): { ok: unknown } | { error: string } => {
  try {
    // The schema alone: a non-plain wrapper (a class instance) makes the plain path decline.
    const value = schemaOnly && typeof options === 'object' && options !== null && !Array.isArray(options) ? Object.defineProperties(new (class Wrapper {})(), Object.getOwnPropertyDescriptors(options)) : options;
    return { ok: JSON.parse(JSON.stringify(parseExecutorInput('c', value))) as unknown };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

test('attack: a plain executor input checked without zod equals the schema on every input (hostile ones too)', () => {
  let plain = 0;
  for (const v of inputs) {
    if (plainExecutorInput(v) !== undefined) plain++;
    const a = outcome(v, false);
    const b = outcome(v, true);
    // Same verdict; same value when accepted (the schema's copy of the plain object).
    assert.equal('ok' in a, 'ok' in b, JSON.stringify(v) ?? String(v));
    if ('ok' in a && 'ok' in b) assert.deepEqual(a.ok, b.ok);
  }
  assert.ok(plain >= 4, `${plain} plain inputs`);
});

test('the plain path takes what the local runner builds and declines getters, holes, symbols and wrong types', () => {
  assert.equal(plainExecutorInput(good), good);
  for (const v of [holey, getterArtifact].map((a) => ({ inputs: { artifacts: { x: { artifacts: [a] } } } }))) assert.equal(plainExecutorInput(v), undefined);
  assert.equal(plainExecutorInput({ inputs: { artifacts: { x: { artifacts: holey } } } }), undefined);
  assert.equal(plainExecutorInput(withSymbol), undefined);
  assert.equal(plainExecutorInput({ outputs: { outputFile: 1 } }), undefined);
});
