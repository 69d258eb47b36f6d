// train-model reads its matrix by column from Parquet (trainingMatrix.ts): the same values and
// errors as readMatrix, and the same model, byte for byte, as from the CSV of the same matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoricalFromStrings, numericColumn, Table } from '../../../src/data/index.ts';
import { writeParquetTable } from '../../../src/data/parquet/index.ts';
import { isColumnMatrix, toXgboostJson, train } from '../../../src/gbdt/index.ts';
import { toDenseMatrix } from '../../../src/gbdt/data/columnMatrix.ts';
import { executeComponent } from '../../../src/pipeline/index.ts';
import { readMatrix, writeLabels, writeMatrix } from '../../../src/pipelines/loan-default/datasetFiles.ts';
import { trainModel } from '../../../src/pipelines/loan-default/index.ts';
import { readTrainingMatrix } from '../../../src/pipelines/loan-default/trainingMatrix.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';

function matrix(nRows: number, nCols: number) {
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < data.length; i++) data[i] = i % 11 === 3 ? NaN : ((i * 7919) % 1009) / 17 - (i % 5);
  return { data, nRows, nCols };
}
const labels = (n: number) => Float64Array.from({ length: n }, (_, r) => ((r * 31) % 7 < 3 ? 1 : 0));

test('a Parquet matrix comes by column with readMatrix\'s values; a CSV one as readMatrix gives it', async () => {
  const dir = tempDir();
  const m = matrix(700, 6);
  await writeMatrix(m, join(dir, 'x.parquet'));
  await writeMatrix(m, join(dir, 'x.csv'));
  const fromParquet = await readTrainingMatrix(join(dir, 'x.parquet'));
  assert.ok(isColumnMatrix(fromParquet));
  assert.deepEqual(toDenseMatrix(fromParquet), await readMatrix(join(dir, 'x.parquet')));
  const fromCsv = await readTrainingMatrix(join(dir, 'x.csv'));
  assert.ok(!isColumnMatrix(fromCsv));
  assert.deepEqual(fromCsv, await readMatrix(join(dir, 'x.csv')));
  // Same trees from either layout.
  const y = labels(m.nRows);
  const p = { objective: 'binary:logistic', max_depth: 3, num_boost_round: 4 } as const;
  assert.equal(toXgboostJson(train(fromParquet, y, p).model), toXgboostJson(train(fromCsv, y, p).model));
});

test('attack: a Parquet "matrix" with a text column is refused as readMatrix refuses it', async () => {
  const dir = tempDir();
  const path = join(dir, 'x.parquet');
  await writeParquetTable(new Table([numericColumn('f0', [1, 2, 3]), categoricalFromStrings('f1', ['a', 'b', 'c'])]), path);
  const expected = await readMatrix(path).then(
    () => assert.fail('readMatrix accepted a text column'),
    (e: Error) => e.message,
  );
  await assert.rejects(readTrainingMatrix(path), (e: Error) => e.message === expected && /f1/.test(e.message));
});

test('train-model saves the same model from a Parquet matrix as from the CSV of it', async () => {
  const dir = tempDir();
  const m = matrix(900, 5);
  await writeMatrix(m, join(dir, 'x.parquet'));
  await writeMatrix(m, join(dir, 'x.csv'));
  await writeLabels(labels(m.nRows), join(dir, 'y.csv'));
  const run = async (x: string, out: string) => {
    await executeComponent(trainModel, {
      inputs: {
        parameterValues: { num_boost_round: 6, nthread: 1 },
        artifacts: {
          x_train: { artifacts: [{ uri: join(dir, x), type: { schemaTitle: 'system.Dataset' } }] },
          y_train: { artifacts: [{ uri: join(dir, 'y.csv'), type: { schemaTitle: 'system.Dataset' } }] },
        },
      },
      outputs: { artifacts: { model: { artifacts: [{ uri: join(dir, out), type: { schemaTitle: 'system.Model' } }] } } },
    });
    return readFileSync(join(dir, out), 'utf8');
  };
  const fromCsv = await run('x.csv', 'a.json');
  assert.equal(await run('x.parquet', 'b.json'), fromCsv);
  assert.equal(JSON.parse(fromCsv).learner.gradient_booster.model.trees.length, 6);
});
