// Our reader against what pandas parsed from the same tricky file (fixtures/data/make_csv_fixture.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCsvFile, valueAt } from '../../../src/data/index.ts';

const dir = fileURLToPath(new URL('../../../fixtures/data/', import.meta.url));

interface PandasParsed {
  rows: number;
  columns: string[];
  numeric: Record<string, (number | string | null)[]>;
  numericDefault: Record<string, (number | string | null)[]>;
  categorical: Record<string, (string | null)[]>;
}

const decode = (v: number | string | null): number => (v === null ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));

test('parsed values equal pandas read_csv (float_precision=round_trip)', async () => {
  const want = JSON.parse(readFileSync(`${dir}tricky_pandas.json`, 'utf8')) as PandasParsed;
  const t = await readCsvFile(`${dir}tricky.csv`, { chunkBytes: 1000 });
  assert.equal(t.numRows, want.rows);
  assert.deepEqual(t.columnNames, want.columns);
  for (const [name, values] of Object.entries(want.numeric)) {
    const got = t.numeric(name).values;
    values.forEach((v, i) => {
      const w = decode(v);
      assert.ok(Object.is(got[i], w), `${name}[${i}]: ours ${got[i]}, pandas ${w}`); // -0 included
    });
  }
  for (const [name, values] of Object.entries(want.categorical)) {
    values.forEach((v, i) => assert.equal(valueAt(t.column(name), i), v, `${name}[${i}]`));
  }
});

test("pandas' default float parser is not always correctly rounded; ours equals round_trip where they differ", () => {
  const want = JSON.parse(readFileSync(`${dir}tricky_pandas.json`, 'utf8')) as PandasParsed;
  let differ = 0;
  for (const name of Object.keys(want.numeric)) {
    want.numeric[name].forEach((v, i) => {
      if (v !== want.numericDefault[name][i]) differ++;
    });
  }
  // The fixture documents the known difference; if pandas changes, this tells us.
  assert.ok(differ > 0);
});
