// Step 3 — fit the reference preprocessing on the training features and apply it to both
// sets. The fitted parameters are saved so new applicants can be scored the same way later.
import { createColumnTransformer } from '../../../ml/index.ts';
import { artifactInput, artifactOutput, defineComponent } from '../../../pipeline/index.ts';
import { readFeatures, writeMatrix } from '../datasetFiles.ts';
import { LOAN_DEFAULT_PREPROCESSOR } from '../preprocessorSpec.ts';

export const preprocessFeatures = defineComponent({
  name: 'preprocess-features',
  description: 'Median imputation, Yeo-Johnson power transform and one-hot encoding, fitted on train (scikit-learn-identical)',
  inputs: { x_train: artifactInput('system.Dataset'), x_test: artifactInput('system.Dataset') },
  outputs: {
    x_train_processed: artifactOutput('system.Dataset', { extension: '.csv' }),
    x_test_processed: artifactOutput('system.Dataset', { extension: '.csv' }),
    preprocessor: artifactOutput('system.Model', { extension: '.json' }),
  },
  run: async (ctx) => {
    const xTrain = await readFeatures(ctx.inputs.x_train);
    const xTest = await readFeatures(ctx.inputs.x_test);
    const { fitted, matrix: train } = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitTransform(xTrain);
    for (const w of fitted.warnings) ctx.log(`warning: ${w}`);
    const test = fitted.transform(xTest);
    ctx.log(`${fitted.numFeatures} features: ${fitted.featureNames.join(', ')}`);
    await writeMatrix(train, ctx.outputs.x_train_processed);
    await writeMatrix(test, ctx.outputs.x_test_processed);
    await ctx.outputs.preprocessor.write([JSON.stringify(fitted.toJSON(), null, 2) + '\n']);
    ctx.outputs.preprocessor.setMetadata({ features: fitted.numFeatures });
  },
});
