import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, UsageError } from '../../../src/core/errors.ts';
import {
  assertValid, categoricalFromStrings, defineSchema, numericColumn, parseCsv, Table, validateTable, type Schema,
} from '../../../src/data/index.ts';

const schema: Schema = defineSchema({
  columns: [
    { name: 'age', type: 'integer', nullable: false },
    { name: 'rate', type: 'number' },
    { name: 'grade', type: 'category', categories: ['A', 'B'] },
    { name: 'label', type: 'binary', nullable: false },
  ],
});

function table(): Table {
  return new Table([
    numericColumn('age', [22, 21.5, NaN, 40]),
    numericColumn('rate', [1.5, NaN, 3, 4]),
    categoricalFromStrings('grade', ['A', 'C', null, 'B']),
    numericColumn('label', [0, 1, 2, NaN]),
    numericColumn('extra', [0, 0, 0, 0]),
  ]);
}

test('validateTable collects every issue with code, path, row and message', () => {
  const issues = validateTable(table(), schema);
  assert.deepEqual(
    issues.map((i) => [i.code, i.field, i.row]),
    [
      ['data.schema.notInteger', 'age', 1],
      ['data.schema.missingValue', 'age', 2],
      ['data.schema.unknownCategory', 'grade', 1],
      ['data.schema.notBinary', 'label', 2],
      ['data.schema.missingValue', 'label', 3],
    ],
  );
  assert.deepEqual(issues[3].path, ['label', 2]);
  assert.equal(issues[3].message, "field 'label', row 2: label must be 0 or 1, found 2");
});

test('validateTable: missing columns, wrong kinds, strict extras, issue limit', () => {
  const t = new Table([categoricalFromStrings('age', ['x']), numericColumn('zzz', [1])]);
  const issues = validateTable(t, schema, { strict: true });
  assert.deepEqual(issues.map((i) => i.code), [
    'data.schema.wrongKind', 'data.schema.missingColumn', 'data.schema.missingColumn', 'data.schema.missingColumn', 'data.schema.unexpectedColumn',
  ]);
  assert.equal(validateTable(table(), schema, { maxIssues: 2 }).length, 2);
  assert.deepEqual(validateTable(table().take([0]), schema), []);
});

test('assertValid throws the first issue as a DataError naming file, line and field', () => {
  assert.throws(() => assertValid(table(), schema, { file: 'd.csv' }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.message, "d.csv, line 3, field 'age': expected an integer, found 21.5");
    return true;
  });
  assert.doesNotThrow(() => assertValid(table().take([0]), schema));
});

test('the reader enforces the schema with exact lines: label not 0/1', () => {
  const csv = 'age,rate,grade,label\n22,1.5,A,0\n30,,"B",1\n31,2,A,2\n';
  assert.throws(() => parseCsv(csv, { schema, fileName: 'loans.csv' }), (e: unknown) =>
    e instanceof DataError && e.code === 'data.schema.notBinary' && e.message === "loans.csv, line 4, column 4, field 'label': label must be 0 or 1, found 2");
  assert.throws(() => parseCsv('age,rate,grade,label\n22,1,Z,0\n', { schema }), /line 2, column 3, field 'grade': unknown category 'Z', expected one of A, B/);
  assert.throws(() => parseCsv('age,rate,grade,label\n,1,A,0\n', { schema }), /field 'age': missing value/);
  assert.throws(() => parseCsv('age,rate,grade,label\n1.5,1,A,0\n', { schema }), /expected an integer, found 1.5/);
  const t = parseCsv('age,rate,grade,label\n1.5,1,Z,7\n', { schema, checkSchema: false });
  assert.equal(validateTable(t, schema).length, 3);
});

test('defineSchema rejects duplicate names, unknown types, categories on non-category columns', () => {
  const bad = (s: unknown) => assert.throws(() => defineSchema(s as Schema), (e: unknown) => e instanceof UsageError && e.code === 'data.schema.invalid');
  bad({ columns: [{ name: 'a', type: 'number' }, { name: 'a', type: 'number' }] });
  bad({ columns: [{ name: 'a', type: 'float' }] });
  bad({ columns: [{ name: 'a', type: 'number', categories: ['x'] }] });
});
