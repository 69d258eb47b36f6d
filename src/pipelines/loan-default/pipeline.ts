// The loan-default pipeline: the reference's seven steps wired by artifact flow. This one
// definition runs locally (`sealed run`) and compiles to Kubeflow Pipelines.
import { definePipeline } from '../../pipeline/index.ts';
import { batchInference } from './components/batchInference.ts';
import { compileModel } from './components/compileModel.ts';
import { createTrainTestSet } from './components/createTrainTestSet.ts';
import { loadData } from './components/loadData.ts';
import { plotRocCurve } from './components/plotRocCurve.ts';
import { preprocessFeatures } from './components/preprocessFeatures.ts';
import { trainModel } from './components/trainModel.ts';

export const loanDefaultComponents = [loadData, createTrainTestSet, preprocessFeatures, trainModel, compileModel, batchInference, plotRocCurve];

export const loanDefaultPipeline = definePipeline({
  name: 'loan-default',
  description: 'Loan default risk: load + augment, split, preprocess, train gradient-boosted trees, compile, batch inference, ROC curve',
  // Run parameters take their types, defaults and ranges from the components they feed.
  parameters: {
    data_url: loadData.parameters.data_url,
    data_size: loadData.parameters.data_size,
    seed: loadData.parameters.seed,
    split: createTrainTestSet.parameters.split,
    threads: trainModel.parameters.nthread,
    explain: batchInference.parameters.explain,
    // csv | parquet for the data artifacts between steps (`--artifact-format`); each data step gets it.
    artifact_format: loadData.parameters.artifact_format,
  },
  // An optional model to continue training from (`sealed run --init-model m.json|m.ubj`):
  // a run input artifact, so the local runner copies it into the run (inputs/init_model.*).
  inputs: { init_model: trainModel.inputs.init_model },
  summary: { task: 'batch-inference', output: 'metrics' },
  // As in the reference: every pod runs on the SGX node pool (AKS label intelvm=sgx).
  // `sealed compile --node-selector key=value|none` replaces it.
  deploy: { nodeSelector: { intelvm: 'sgx' } },
  build: (p, params, inputs) => {
    const load = p.task(loadData, {
      params: { data_url: params.data_url, data_size: params.data_size, seed: params.seed, artifact_format: params.artifact_format },
    });
    const split = p.task(createTrainTestSet, {
      inputs: { data: load.outputs.credit_risk_dataset },
      // One seed for the run: with the default 0 this is the reference's random_state=0.
      params: { test_size: 0.25, seed: params.seed, split: params.split, artifact_format: params.artifact_format },
    });
    const pre = p.task(preprocessFeatures, {
      inputs: { x_train: split.outputs.x_train_data, x_test: split.outputs.x_test_data },
      params: { artifact_format: params.artifact_format },
    });
    const model = p.task(trainModel, {
      inputs: { x_train: pre.outputs.x_train_processed, y_train: split.outputs.y_train_data, init_model: inputs.init_model },
      params: { nthread: params.threads },
    });
    const compiled = p.task(compileModel, { inputs: { model: model.outputs.model } });
    const scored = p.task(batchInference, {
      inputs: {
        x_test: pre.outputs.x_test_processed,
        y_test: split.outputs.y_test_data,
        compiled_model: compiled.outputs.compiled_model,
        model: model.outputs.model,
        preprocessor: pre.outputs.preprocessor,
      },
      params: { explain: params.explain, artifact_format: params.artifact_format },
    });
    p.task(plotRocCurve, { inputs: { prediction_data: scored.outputs.prediction_data } });
  },
});
