// --param key=value strings become values of the declared KFP types, or a usage error naming the
// parameter; nothing here talks to a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/core/errors.ts';
import { parseRuntimeParameters, type RootParameter } from '../../../src/pipeline/kfp/index.ts';

const DECLARED: Record<string, RootParameter> = {
  data_url: { parameterType: 'STRING', defaultValue: 'embedded:synthetic' },
  data_size: { parameterType: 'NUMBER_INTEGER', defaultValue: 100 },
  learning_rate: { parameterType: 'NUMBER_DOUBLE', defaultValue: 0.1 },
  explain: { parameterType: 'BOOLEAN', defaultValue: false },
  features: { parameterType: 'LIST', defaultValue: [] },
  options: { parameterType: 'STRUCT', defaultValue: {} },
  note: { parameterType: 'STRING', isOptional: true },
};

const parse = (args: string[], declared = DECLARED) => parseRuntimeParameters('toy', args, declared);

function rejects(args: string[], message: string, declared = DECLARED): void {
  assert.throws(() => parse(args, declared), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && e.message === message);
}

test('values take the JSON type the pipeline declares', () => {
  const values = parse([
    'data_url=https://example.com/a=b.csv',
    'data_size=-42',
    'learning_rate=1e-3',
    'explain=true',
    'features=["age", "income"]',
    'options={"depth": 3, "tags": ["x"]}',
    'note=',
  ]);
  assert.deepEqual(values, {
    data_url: 'https://example.com/a=b.csv',
    data_size: -42,
    learning_rate: 0.001,
    explain: true,
    features: ['age', 'income'],
    options: { depth: 3, tags: ['x'] },
    note: '',
  });
  assert.deepEqual(parse(['learning_rate=3', 'explain=false']), { learning_rate: 3, explain: false });
  assert.deepEqual(parse([]), {});
});

test('a value of the wrong type is refused with the expected type', () => {
  rejects(['data_size=1.5'], '--param data_size=1.5: expected a whole number (NUMBER_INTEGER)');
  rejects(['data_size=12abc'], '--param data_size=12abc: expected a whole number (NUMBER_INTEGER)');
  rejects(['data_size=99999999999999999999'], '--param data_size=99999999999999999999: expected a whole number (NUMBER_INTEGER)');
  rejects(['data_size='], '--param data_size=: expected a whole number (NUMBER_INTEGER)');
  rejects(['learning_rate=fast'], '--param learning_rate=fast: expected a finite number (NUMBER_DOUBLE)');
  rejects(['learning_rate=Infinity'], '--param learning_rate=Infinity: expected a finite number (NUMBER_DOUBLE)');
  rejects(['learning_rate=0x10'], '--param learning_rate=0x10: expected a finite number (NUMBER_DOUBLE)');
  rejects(['explain=yes'], '--param explain=yes: expected true or false (BOOLEAN)');
  rejects(['features={"a": 1}'], '--param features={"a": 1}: expected a JSON array (LIST)');
  rejects(['features=[1,'], '--param features=[1,: expected a JSON array (LIST)');
  rejects(['options=[1]'], '--param options=[1]: expected a JSON object (STRUCT)');
  rejects(['options=null'], '--param options=null: expected a JSON object (STRUCT)');
});

test('unknown, repeated and malformed parameters are refused', () => {
  rejects(['data_sise=5'], "pipeline 'toy' has no parameter 'data_sise'; did you mean 'data_size'?");
  rejects(['zzz=5'], "pipeline 'toy' has no parameter 'zzz' (parameters: data_url, data_size, learning_rate, explain, features, options, note)");
  rejects(['data_size=1', 'data_size=2'], '--param data_size is given more than once');
  rejects(['data_size'], "--param 'data_size' must be key=value");
  rejects(['=5'], "--param '=5' must be key=value");
});

test('a required parameter without a default must be given', () => {
  const declared: Record<string, RootParameter> = { seed: { parameterType: 'NUMBER_INTEGER' } };
  rejects([], "pipeline 'toy' needs --param seed=<NUMBER_INTEGER> (it has no default)", declared);
  assert.deepEqual(parse(['seed=7'], declared), { seed: 7 });
});

// The constraints travel in the compiled file (ir/parameterConstraints.ts, and `literals` for KFP
// 2.16+: api/v2alpha1/pipeline_spec.proto@2.16.0 ParameterSpec.literals), so a bad value is refused
// before any request — the same values the executor would refuse once the run had started.
test('the compiled loan-default file carries its enum and range constraints, and they are checked before a run', async () => {
  const { compilePipeline } = await import('../../../src/pipeline/index.ts');
  const { loanDefaultPipeline } = await import('../../../src/pipelines/loan-default/index.ts');
  for (const kfpVersion of ['2.0.5', '2.16']) {
    const declared = compilePipeline(loanDefaultPipeline, { kfpVersion, inputArtifacts: 'importer' }).root.inputDefinitions!.parameters! as Record<string, RootParameter>;
    assert.equal(declared.split.literals !== undefined, kfpVersion === '2.16', `literals only where the proto has them (${kfpVersion})`);
    const p = (args: string[]) => parseRuntimeParameters('loan-default', args, declared);
    assert.deepEqual(p(['split=grouped', 'data_size=0', 'seed=4294967295']), { split: 'grouped', data_size: 0, seed: 4294967295 });
    const refused: [string, string][] = [
      ['split=foo', '--param split=foo: must be one of random, grouped'],
      ['data_size=-5', '--param data_size=-5: must be >= 0'],
      ['data_size=10000001', '--param data_size=10000001: must be <= 10000000'],
      ['seed=4294967296', '--param seed=4294967296: must be <= 4294967295'],
      ['threads=5000', '--param threads=5000: must be <= 1024'],
    ];
    for (const [arg, message] of refused) rejects([arg], message, declared);
  }
});

test('a description tag that is not ours, or malformed, constrains nothing; literals from another compiler still do', () => {
  const declared: Record<string, RootParameter> = {
    mode: { parameterType: 'STRING', description: 'see the [docs] for modes [allowed: ]' },
    depth: { parameterType: 'NUMBER_INTEGER', description: 'depth [range: >= 1, up to 10]' },
    color: { parameterType: 'STRING', literals: ['red', 'green'] },
    rate: { parameterType: 'NUMBER_DOUBLE', description: 'rate [range: > 0, < 1]' },
  };
  assert.deepEqual(parse(['mode=anything', 'depth=99', 'color=red', 'rate=0.5'], declared), { mode: 'anything', depth: 99, color: 'red', rate: 0.5 });
  rejects(['color=blue'], '--param color=blue: must be one of red, green', declared);
  rejects(['rate=1'], '--param rate=1: must be < 1', declared);
  rejects(['rate=0'], '--param rate=0: must be > 0', declared);
});

test('attack: a value with terminal control characters is escaped in the refusal, never echoed raw', () => {
  const declared: Record<string, RootParameter> = { color: { parameterType: 'STRING', literals: ['red'] } };
  assert.throws(
    () => parse(['color=\u001b]0;pwned\u0007x'], declared),
    (e: unknown) => e instanceof UsageError && ![...e.message].some((c) => c < ' ') && e.message.includes('\\x1b'),
  );
});
