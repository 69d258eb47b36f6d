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
