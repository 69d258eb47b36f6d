// Step 4 — gradient-boosted trees with the reference parameters (XGBoost hist,
// binary:logistic, eta 0.02, depth 10, min_child_weight 6, 500 rounds); the model artifact
// is an XGBoost JSON model that Python XGBoost loads as is. With `init_model` (an XGBoost JSON
// or UBJSON model) training continues that model: num_boost_round more rounds are added to its
// trees, as `xgboost.train(..., xgb_model=...)` does — the reference kit's incremental update.
import { availableParallelism } from 'node:os';
import { ModelError, readAllBytes, type ByteSource } from '../../../core/index.ts';
import { parseModel, serializeModel, trainAsync, type GbdtModel } from '../../../gbdt/index.ts';
import { writeRemembering } from '../../../data/memo/index.ts';
import { artifactInput, artifactOutput, defineComponent, doubleParam, integerParam } from '../../../pipeline/index.ts';
import { readLabels } from '../datasetFiles.ts';
import { readTrainingMatrix } from '../trainingMatrix.ts';

export const trainModel = defineComponent({
  name: 'train-model',
  description: 'Trains gradient-boosted trees (XGBoost-compatible hist method) and saves an XGBoost JSON model',
  inputs: {
    x_train: artifactInput('system.Dataset'),
    y_train: artifactInput('system.Dataset'),
    init_model: artifactInput('system.Model', { optional: true, description: 'XGBoost JSON or UBJSON model to continue training' }),
  },
  // Sizes are bounded before any work (the executor checks these ranges): 100,000 rounds of
  // depth-64 trees at most; what the trees really grow is bounded by the trainer's memory
  // budget (gbdt/memoryBudget.ts), nthread like the gbdt engine's (PARAM_LIMITS.nthread).
  parameters: {
    num_boost_round: integerParam(500, { min: 1, max: 100_000 }),
    learning_rate: doubleParam(0.02, { exclusiveMin: 0, max: 1 }),
    max_depth: integerParam(10, { min: 1, max: 64 }),
    min_child_weight: doubleParam(6, { min: 0 }),
    // 0 = every core of the machine the task runs on.
    nthread: integerParam(0, { min: 0, max: 1024 }),
  },
  outputs: { model: artifactOutput('system.Model', { extension: '.json' }) },
  run: async (ctx) => {
    const p = ctx.parameters;
    // By column when the file is (Parquet): the trainer bins columns, no row-major copy needed.
    const x = await readTrainingMatrix(ctx.inputs.x_train);
    const y = await readLabels(ctx.inputs.y_train);
    // Never more threads than cores: each worker is a V8 instance of its own (tens of MB), so a run
    // asking for 1,024 would take gigabytes past any heap cap (found in review), and more threads
    // than cores cannot train faster. The trees are the same for any thread count.
    const cores = availableParallelism();
    const nthread = p.nthread === 0 ? cores : Math.min(p.nthread, cores);
    if (p.nthread > cores) ctx.log(`nthread ${p.nthread} is more than the ${cores} cores here: using ${cores}`);
    const init = ctx.inputs.init_model ? await readInitModel(ctx.inputs.init_model, x.nCols) : undefined;
    if (init) ctx.log(`continuing the init model (${init.trees.length} trees)`);
    ctx.log(`training on ${x.nRows} x ${x.nCols}, ${p.num_boost_round} rounds, nthread ${nthread}`);
    const started = performance.now();
    const booster = await trainAsync(
      x,
      y,
      {
        objective: 'binary:logistic',
        eval_metric: 'logloss',
        tree_method: 'hist',
        learning_rate: p.learning_rate,
        max_depth: p.max_depth,
        min_child_weight: p.min_child_weight,
        num_boost_round: p.num_boost_round,
        nthread,
      },
      // Async so that Ctrl-C (the run's signal) stops training between rounds.
      {
        onRound: (round, total) => ctx.progress({ current: round, total, label: 'round' }),
        signal: ctx.signal,
        ...(init ? { initModel: init } : {}),
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const trees = booster.model.trees.length;
    ctx.log(`trained ${p.num_boost_round} rounds in ${seconds.toFixed(2)} s; the model has ${trees} trees`);
    // The JSON text as bytes, never one 24 MB string (500 trees of depth 10 at 1M rows). The
    // model is remembered with the bytes (data/memo), so compile-model takes it without
    // parsing them when they are unchanged; it must not be changed after this.
    const modelBytes = serializeModel(booster.model, 'json');
    await writeRemembering(ctx.outputs.model, [modelBytes], { kind: 'object', tag: TRAINED_MODEL_TAG, value: booster.model, bytes: modelBytes.length });
    ctx.outputs.model.setMetadata({
      framework: 'sealed-gbdt (XGBoost JSON format)',
      trees,
      trainSeconds: seconds,
      ...(init ? { initTrees: init.trees.length } : {}),
    });
  },
});

/** Tag of the trained GbdtModel remembered with the model file's bytes (read by compile-model). */
export const TRAINED_MODEL_TAG = 'loan-default/trained-model';

/** The model to continue; its feature count must match the training matrix. */
async function readInitModel(source: ByteSource, nCols: number): Promise<GbdtModel> {
  const path = source.label;
  const model = parseModel(await readAllBytes(source, 1024 ** 3), path);
  if (model.numFeature !== nCols) throw new ModelError('gbdt.featureCount', { expected: model.numFeature, got: nCols }, { location: { file: path } });
  return model;
}
