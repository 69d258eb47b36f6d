// Hostile and broken Parquet files: each is refused with a one-line DataError naming the file,
// before anything the file declares is allocated.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ByteWriter, ParquetWriter, parquetWriteBuffer } from 'hyparquet-writer';
import { DataError, IoError } from '../../../src/core/index.ts';
import { categoricalFromStrings, numericColumn, Table, type Schema } from '../../../src/data/index.ts';
import { openParquet, readParquetMatrix, readParquetMatrixBatches, readParquetRows, readParquetTable, writeParquetMatrix, writeParquetTable } from '../../../src/data/parquet/index.ts';
import { tempDir } from '../tmpFiles.ts';

const dir = tempDir('sealed-parquet-attack-');
const schema: Schema = {
  columns: [
    { name: 'income', type: 'number' },
    { name: 'grade', type: 'category' },
  ],
};

async function goodFile(name = 'good.parquet'): Promise<string> {
  const path = join(dir, name);
  const n = 100;
  await writeParquetTable(
    new Table([numericColumn('income', Float64Array.from({ length: n }, (_, i) => i * 1.5)), categoricalFromStrings('grade', Array.from({ length: n }, (_, i) => 'ABC'[i % 3]))]),
    path,
  );
  return path;
}

function bytesTo(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A one-line DataError whose message names the file and matches `pattern`. */
async function refused(path: string, pattern: RegExp, read: (p: string) => Promise<unknown> = (p) => readParquetTable(p, { schema })): Promise<void> {
  await assert.rejects(read(path), (e: unknown) => {
    assert.ok(e instanceof DataError || e instanceof IoError, `not a DataError: ${String(e)}`);
    const message = (e as Error).message;
    assert.ok(!message.includes('\n'), `not one line: ${message}`);
    assert.ok(message.includes(path), `does not name the file: ${message}`);
    assert.match(message, pattern);
    return true;
  });
}

/** Writes a small file with hyparquet-writer, letting `tamper` change the footer's metadata before it is written. */
function tamperedFile(name: string, tamper: (pw: ParquetWriter) => void): string {
  const writer = new ByteWriter();
  const pw = new ParquetWriter({
    writer,
    schema: [
      { name: 'root', num_children: 1 },
      { name: 'income', type: 'DOUBLE', repetition_type: 'REQUIRED' },
    ],
    codec: 'UNCOMPRESSED',
    statistics: false,
  });
  void pw.write({ columnData: [{ name: 'income', data: new Float64Array([1, 2, 3, 4]) }], rowGroupSize: 4 });
  tamper(pw);
  void pw.finish();
  return bytesTo(name, writer.getBytes());
}

test('a good file reads (the attacks below start from it)', async () => {
  const t = await readParquetTable(await goodFile(), { schema });
  assert.equal(t.numRows, 100);
});

test('attack: truncated file', async () => {
  const good = readFileSync(await goodFile());
  for (const keep of [0, 3, 11, good.length - 1, good.length - 9, Math.floor(good.length / 2)]) {
    await refused(bytesTo(`truncated-${keep}.parquet`, good.subarray(0, keep)), /not a Parquet file|corrupt Parquet/);
  }
});

test('attack: bad magic at the start or the end', async () => {
  const good = readFileSync(await goodFile());
  const head = Buffer.from(good);
  head.write('PAR2', 0, 'latin1');
  await refused(bytesTo('badmagic-head.parquet', head), /no 'PAR1' magic at the start/);
  const tail = Buffer.from(good);
  tail.write('XXXX', tail.length - 4, 'latin1');
  await refused(bytesTo('badmagic-tail.parquet', tail), /no 'PAR1' magic at the end/);
  // A CSV handed to the Parquet reader.
  await refused(bytesTo('csv.parquet', Buffer.from('income,grade\n1,A\n2,B\n')), /no 'PAR1' magic/);
});

test('attack: footer length pointing outside the file', async () => {
  const good = readFileSync(await goodFile());
  for (const length of [good.length, good.length - 8, 0xffffffff, 0]) {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(length, bad.length - 8);
    await refused(bytesTo(`footer-${length}.parquet`, bad), /footer length \d+ points outside/);
  }
  // Inside the file but not at a footer: garbage thrift.
  const bad = Buffer.from(good);
  bad.writeUInt32LE(bad.length - 20, bad.length - 8);
  await refused(bytesTo('footer-garbage.parquet', bad), /corrupt Parquet file/);
});

test('attack: huge declared row count does not allocate it', async () => {
  const before = process.memoryUsage().rss;
  await refused(tamperedFile('rows-file.parquet', (pw) => { pw.num_rows = 2n ** 40n; }), /declares 1099511627776 rows, more than/);
  // Consistent everywhere (file and row group), still refused by the row limit.
  await refused(
    tamperedFile('rows-both.parquet', (pw) => {
      pw.num_rows = 2n ** 31n;
      pw.row_groups[0].num_rows = 2n ** 31n;
    }),
    /declares 2147483648 rows/,
  );
  // Under the limit but more than the data holds: the row groups disagree with the footer.
  await refused(tamperedFile('rows-mismatch.parquet', (pw) => { pw.num_rows = 1000n; }), /row groups hold 4 rows, the footer declares 1000/);
  // Within the limit, the column declaring more values than its group's rows.
  await refused(
    tamperedFile('values.parquet', (pw) => {
      const meta = pw.row_groups[0].columns[0].meta_data;
      if (meta) meta.num_values = 2n ** 33n;
    }),
    /declares 8589934592 values in a row group of 4 rows/,
  );
  assert.ok(process.memoryUsage().rss - before < 256 * 1024 ** 2, 'refusing allocated what the file declared');
});

test('attack: huge declared column chunk size', async () => {
  await refused(
    tamperedFile('chunk-uncompressed.parquet', (pw) => {
      const meta = pw.row_groups[0].columns[0].meta_data;
      if (meta) meta.total_uncompressed_size = 2n ** 40n;
    }),
    /chunk declares 1099511627776 bytes, more than/,
  );
  await refused(
    tamperedFile('chunk-compressed.parquet', (pw) => {
      const meta = pw.row_groups[0].columns[0].meta_data;
      if (meta) meta.total_compressed_size = 2n ** 40n;
    }),
    /chunk at \d+\.\.\d+ lies outside the data/,
  );
  await refused(
    tamperedFile('chunk-offset.parquet', (pw) => {
      const meta = pw.row_groups[0].columns[0].meta_data;
      if (meta) meta.data_page_offset = 2n ** 50n;
    }),
    /lies outside the data/,
  );
});

test('attack: a page declaring more than its chunk', async () => {
  // Shrinks the chunk's declared uncompressed size below its page's: the page header is then too large.
  await refused(
    tamperedFile('page-size.parquet', (pw) => {
      const meta = pw.row_groups[0].columns[0].meta_data;
      if (meta) meta.total_uncompressed_size = 8n;
    }),
    /page declares \d+ bytes, more than the 8-byte limit/,
  );
});

test('attack: a column of the wrong type', async () => {
  const path = join(dir, 'wrongtype.parquet');
  await writeParquetTable(new Table([categoricalFromStrings('income', ['a', 'b']), categoricalFromStrings('grade', ['A', 'B'])]), path);
  await refused(path, /column 'income' is BYTE_ARRAY \(UTF8\), expected a number column/);
  // A matrix reader given strings.
  await refused(path, /expected a number column \(feature matrix\)/, (p) => readParquetMatrix(p));
  // Right kind, bad values: the schema check names the file and field.
  const labels = join(dir, 'labels.parquet');
  await writeParquetMatrix({ data: new Float64Array([0, 1, 2]), nRows: 3, nCols: 1 }, labels, { names: ['y'] });
  await refused(labels, /field 'y'.*0\/1|binary|0 or 1/i, (p) => readParquetTable(p, { schema: { columns: [{ name: 'y', type: 'binary', nullable: false }] } }));
});

test('attack: a file whose schema lacks a column', async () => {
  const path = join(dir, 'lacking.parquet');
  await writeParquetTable(new Table([numericColumn('income', new Float64Array([1, 2]))]), path);
  await refused(path, /has no column 'grade'/);
});

test('attack: a file larger than the size cap is refused before it is parsed', async () => {
  const path = await goodFile('big.parquet');
  await assert.rejects(readParquetTable(path, { schema, maxBytes: 100 }), (e: unknown) => {
    assert.ok(e instanceof IoError);
    assert.match((e as Error).message, /big\.parquet is larger than the 100-byte limit/);
    return true;
  });
});

/** A file of `columns` constant double columns of `rows` rows: RLE pages make it a few KB. */
function constantFile(name: string, rows: number, columns: number): string {
  const data = new Float64Array(rows).fill(1.5);
  const columnData = Array.from({ length: columns }, (_, j) => ({ name: `c${j}`, data, type: 'DOUBLE' as const }));
  return bytesTo(name, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: rows, statistics: false })));
}

test('attack: decompression bomb (RLE pages declaring millions of equal values) is refused before decoding', async () => {
  const before = process.memoryUsage().rss;
  // 2M rows x 17 columns = 34M cells (272 MB of doubles) from ~8 KB: past the free 32M cells, far past 64 cells a byte.
  const bomb = constantFile('bomb.parquet', 2_000_000, 17);
  await refused(bomb, /2000000 rows x 17 columns is more than a \d+-byte file can hold .*decompression bomb/, (p) => readParquetTable(p));
  await refused(bomb, /decompression bomb/, (p) => readParquetMatrix(p));
  assert.ok(process.memoryUsage().rss - before < 256 * 1024 ** 2, 'refusing decoded the bomb');
  // The hard cap on cells read, whatever the file's size.
  const good = await goodFile('cells.parquet');
  await refused(good, /100 rows x 2 columns is more than the limit: 150 cells/, (p) => readParquetTable(p, { schema, limits: { maxCells: 150 } }));
  // Only the columns read count: one column of 100 rows is under 150.
  const one = await readParquetTable(good, { schema: { columns: [schema.columns[0]] }, limits: { maxCells: 150 } });
  assert.equal(one.numRows, 100);
});

test('attack: decompression bomb: files we write stay far below the cells-per-byte rule', async () => {
  // A pipeline-like matrix: varied doubles and one-hot 0/1 columns (dictionary, RLE/bit-packed),
  // some all zero; read with no free cells, so only the 64-cells-a-byte rule applies.
  const nRows = 20_000;
  const nCols = 26;
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) data[i * nCols + j] = j < 8 ? Math.sin(i * (j + 1)) * 1000 : j < 20 ? Number(i % (j - 6) === 0) : 0;
  }
  const path = join(dir, 'own-matrix.parquet');
  await writeParquetMatrix({ data, nRows, nCols }, path);
  const ratio = (nRows * nCols) / statSync(path).size;
  assert.ok(ratio < 8, `our matrix holds ${ratio.toFixed(2)} cells a byte`);
  const back = await readParquetMatrix(path, { limits: { freeCells: 0 } });
  assert.deepEqual(back.data, data);
});

test('attack: many tiny row groups (each decode given only its group: linear, and a cap on groups)', async () => {
  const path = join(dir, 'tiny-groups.parquet');
  const nRows = 3000;
  await writeParquetMatrix({ data: Float64Array.from({ length: nRows }, (_, i) => i), nRows, nCols: 1 }, path, { rowGroupRows: 1 });
  // Read correctly a group at a time and whole (both were quadratic in the groups: 40k groups took 36 s).
  let rows = 0;
  for await (const m of readParquetMatrixBatches(path)) {
    assert.equal(m.data[0], rows);
    rows += m.nRows;
  }
  assert.equal(rows, nRows);
  assert.equal((await readParquetMatrix(path)).data[2999], 2999);
  const page = await readParquetRows(await openParquet(path), 1500, 1503);
  assert.deepEqual([...page.numeric('f0').values], [1500, 1501, 1502]);
  await refused(path, /3000 row groups, more than the 2999-group limit/, (p) => readParquetMatrix(p, { limits: { maxRowGroups: 2999 } }));
});

// Written by the reviewer: row group 2's dictionary holds 2 values, its data page indexes a third.
const OOB_DICTIONARY =
  'UEFSMRUEFRAVEEwVAhUAAAAAAAAAAAD4PxUGFQwVDFwV0A8VABXQDxUQFQYVAAAA0A8BANAPFQQVIBUgTBUEFQAAAAAAAAAAAARAAAAAAAAADEAVBhUUFRRcFaAfFQAVoB8VEBUGFQAAAKAfAQHQDwDQDwUVBBksSARyb290FQIAFQolAhgBeAAW8C4ZLBkcJggcFQoZJQAQGRgBeBUAFtAPFmQWZCYyJggAABZkFtAPNmQAGRwmbBwVChklABAZGAF4FQAWoB8WfBZ8JqYBJmwAABZ8FqAfNnwAKAloeXBhcnF1ZXQZHBwAAAB4AAAAUEFSMQ==';

test('attack: out-of-range dictionary index is corrupt, not a missing value', async () => {
  const path = bytesTo('oob.parquet', Buffer.from(OOB_DICTIONARY, 'base64'));
  await refused(path, /corrupt Parquet file: column 'x' row 2000: a dictionary index past the dictionary/, (p) => readParquetTable(p));
  await refused(path, /column 'x' row 2000/, (p) => readParquetMatrix(p));
});

test('attack: corrupt footer numbers of the wrong type give a DataError naming the file', async () => {
  await refused(
    tamperedFile('footer-type-rows.parquet', (pw) => {
      (pw.row_groups[0] as { num_rows: unknown }).num_rows = 4;
    }),
    /footer row group 0 row count is not a 64-bit integer \(number\)/,
    (p) => readParquetTable(p),
  );
  await refused(
    tamperedFile('footer-type-offset.parquet', (pw) => {
      const meta = pw.row_groups[0].columns[0].meta_data as { data_page_offset: unknown } | undefined;
      if (meta) meta.data_page_offset = 4;
    }),
    /data page offset is not a 64-bit integer/,
    (p) => readParquetTable(p),
  );
});

test('attack: mutation fuzz (400 seeded mutations of a small file: each reads or gives a one-line DataError naming it)', async () => {
  const base = readFileSync(await goodFile('fuzz-base.parquet'));
  let seed = 17;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const path = join(dir, 'fuzz-case.parquet');
  let refusedCount = 0;
  for (let k = 0; k < 400; k++) {
    const b = Buffer.from(base);
    const flips = 1 + Math.floor(rnd() * 4);
    for (let j = 0; j < flips; j++) {
      const at = 4 + Math.floor(rnd() * (b.length - 8));
      b[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : b[at] ^ (1 << Math.floor(rnd() * 8));
    }
    writeFileSync(path, b);
    try {
      await readParquetTable(path);
    } catch (e) {
      assert.ok(e instanceof DataError, `mutation ${k}: not a DataError: ${String(e)}`);
      const message = (e as Error).message;
      assert.ok(!message.includes('\n') && message.includes(path), `mutation ${k}: ${message}`);
      refusedCount++;
    }
  }
  assert.ok(refusedCount > 50, `only ${refusedCount} mutations refused: the fuzz does not reach the checks`);
});

test("attack: a .csv whose content starts with PAR1 says why it was read as Parquet", async () => {
  const path = bytesTo('looks.csv', Buffer.from('PAR1,b\n1,2\n3,4\n', 'utf8'));
  await refused(path, /no 'PAR1' magic at the end .*read as Parquet because its content starts with 'PAR1'/, (p) => readParquetTable(p));
});
