// Step 3 — fit the reference preprocessing on the training features and apply it to both
// sets. The fitted parameters are saved so new applicants can be scored the same way later.
import { createColumnTransformer } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, defineComponent, stringParam } from '../../../pipeline/index.ts';
import { ARTIFACT_FORMATS, DEFAULT_ARTIFACT_FORMAT, readFeatures, writeMatrix } from '../datasetFiles.ts';
import { LOAN_DEFAULT_PREPROCESSOR } from '../preprocessorSpec.ts';

export const preprocessFeatures = defineComponent({
  name: 'preprocess-features',
  description: 'Median imputation, Yeo-Johnson power transform and one-hot encoding, fitted on train (scikit-learn-identical)',
  inputs: { x_train: artifactInput('system.Dataset'), x_test: artifactInput('system.Dataset') },
  parameters: {
    // The file format of the data artifacts (datasetFiles.ts): one value for the whole run.
    artifact_format: stringParam(DEFAULT_ARTIFACT_FORMAT, { enum: [...ARTIFACT_FORMATS] }),
  },
  outputs: {
    x_train_processed: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
    x_test_processed: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }),
    preprocessor: artifactOutput('system.Model', { extension: '.json' }),
  },
  run: async (ctx) => {
    const xTrain = await readFeatures(ctx.inputs.x_train);
    // The lambda searches run on worker threads while the test set is read.
    const fitting = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitAsync(xTrain);
    fitting.catch(() => undefined); // awaited below; a failed read of x_test must not leave it unhandled
    const xTest = await readFeatures(ctx.inputs.x_test);
    const fitted = await fitting;
    const train = fitted.transform(xTrain);
    for (const w of fitted.warnings) ctx.log(`warning: ${w}`);
    const test = fitted.transform(xTest);
    ctx.log(`${fitted.numFeatures} features: ${fitted.featureNames.join(', ')}`);
    await writeMatrix(train, ctx.outputs.x_train_processed, ctx.parameters.artifact_format);
    // Read by batch-inference after training: not kept in memory through the run's peak.
    await writeMatrix(test, ctx.outputs.x_test_processed, ctx.parameters.artifact_format, { remember: false });
    await ctx.outputs.preprocessor.write([JSON.stringify(fitted.toJSON(), null, 2) + '\n']);
    ctx.outputs.preprocessor.setMetadata({ features: fitted.numFeatures });
  },
});
