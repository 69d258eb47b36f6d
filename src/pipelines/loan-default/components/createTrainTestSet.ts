// Step 2 — shuffled 75/25 split. `random` is scikit-learn's train_test_split row for row (the
// reference); `grouped` keeps every augmented copy of a source row on one side, so near
// duplicates cannot leak from train into test and inflate the AUC.
import { groupedTrainTestSplit, trainTestSplit } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, defineComponent, doubleParam, integerParam, stringParam } from '../../../pipeline/index.ts';
import { ARTIFACT_FORMATS, DEFAULT_ARTIFACT_FORMAT, readRawDataset, SOURCE_ROW_COLUMN, writeFeatureRows, writeLabels } from '../datasetFiles.ts';
import { FEATURE_COLUMNS, LABEL_COLUMN } from '../schema.ts';

export const createTrainTestSet = defineComponent({
  name: 'create-train-test-set',
  description: 'Splits the dataset into shuffled train and test sets (random = the reference split, grouped = leakage-free)',
  inputs: { data: artifactInput('system.Dataset') },
  parameters: {
    test_size: doubleParam(0.25, { exclusiveMin: 0, exclusiveMax: 1 }),
    seed: integerParam(0, { min: 0, max: 0xffffffff }),
    split: stringParam('random', { enum: ['random', 'grouped'] }),
    // The file format of the data artifacts (datasetFiles.ts): one value for the whole run.
    artifact_format: stringParam(DEFAULT_ARTIFACT_FORMAT, { enum: [...ARTIFACT_FORMATS] }),
  },
  outputs: {
    x_train_data: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
    y_train_data: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
    x_test_data: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
    y_test_data: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
  },
  run: async (ctx) => {
    const { test_size: testSize, seed, split } = ctx.parameters;
    const data = await readRawDataset(ctx.inputs.data);
    const options = { testSize, seed };
    let indices;
    if (split === 'grouped') {
      // Without augmentation every row is its own group.
      const groups = data.has(SOURCE_ROW_COLUMN)
        ? Int32Array.from(data.numeric(SOURCE_ROW_COLUMN).values)
        : Int32Array.from({ length: data.numRows }, (_, i) => i);
      indices = groupedTrainTestSplit(groups, options);
    } else {
      indices = trainTestSplit(data.numRows, options);
    }
    // Only the columns written are gathered (not the source-row column of an augmented table).
    const kept = data.select([...FEATURE_COLUMNS, LABEL_COLUMN]);
    const train = kept.take(indices.train);
    const test = kept.take(indices.test);
    ctx.log(`${split} split of ${data.numRows} rows: ${train.numRows} train, ${test.numRows} test`);
    const format = ctx.parameters.artifact_format;
    // Copied from load-data's text of the same values when this process wrote it (no number formatting).
    await writeFeatureRows(data, indices.train, train, ctx.outputs.x_train_data, format);
    await writeLabels(train.numeric(LABEL_COLUMN).values, ctx.outputs.y_train_data, format);
    await writeFeatureRows(data, indices.test, test, ctx.outputs.x_test_data, format);
    await writeLabels(test.numeric(LABEL_COLUMN).values, ctx.outputs.y_test_data, format);
    ctx.outputs.x_train_data.setMetadata({ rows: train.numRows });
    ctx.outputs.x_test_data.setMetadata({ rows: test.numRows });
  },
});
