// Sealed pipelines: define components and pipelines in TypeScript, compile them to the
// Kubeflow Pipelines v2 IR, and run that same IR locally.
//
// ## Defining a component
//
//   import { defineComponent, artifactInput, artifactOutput, integerParam, doubleParam } from '../../pipeline/index.ts';
//
//   export const split = defineComponent({
//     name: 'create-train-test-set',            // lowercase kebab-case; the default task name
//     description: 'Shuffled train/test split',
//     inputs: { data: artifactInput('system.Dataset') },              // { optional: true } allowed
//     parameters: {
//       test_size: doubleParam(0.25, { exclusiveMin: 0, exclusiveMax: 1 }),
//       seed: integerParam(0, { min: 0 }),                              // integerParam() = required
//       split: stringParam('random', { enum: ['random', 'grouped'] }),  // type 'random' | 'grouped'
//     },
//     outputs: {
//       x_train_data: artifactOutput('system.Dataset', { extension: '.csv' }),
//       metrics: artifactOutput('system.Metrics'),
//     },
//     run: async (ctx) => {
//       ctx.parameters.test_size;                // number, validated (type, range, enum), default applied
//       ctx.inputs.data.path;                    // local file to read (also .uri, .metadata)
//       await writeFile(ctx.outputs.x_train_data.path, csv);   // write here; the runner stages it
//       ctx.outputs.metrics.setMetadata({ AUC: 0.97 });        // JSON only, finite numbers, no null
//       ctx.progress({ current: 10, total: 500, label: 'round' });
//       ctx.log('split 32581 rows');
//       ctx.signal.throwIfAborted();             // in long loops
//     },
//   });
//
// Keys of inputs, outputs and parameters share one namespace (they become `sealed component`
// options such as --x_train_data). Every declared output must be written by `run`. Metrics for
// the KFP UI: system.Metrics takes flat numeric metadata; system.ClassificationMetrics takes
// `confidenceMetrics: [{confidenceThreshold, falsePositiveRate, recall}]`.
//
// ## Defining a pipeline
//
//   export const pipeline = definePipeline({
//     name: 'loan-default',
//     parameters: { data_url: stringParam('embedded:synthetic'), data_size: integerParam(0, { min: 0 }) },
//     summary: { task: 'batch-inference', output: 'metrics' },  // what `sealed run` prints
//     build: (p, params) => {
//       const load = p.task(loadData, { params: { data_url: params.data_url, seed: 0 } });
//       const s = p.task(split, { inputs: { data: load.outputs.credit_risk_dataset }, params: { seed: 0 } });
//       p.task(otherUseOfSplit, { name: 'split-again', inputs: {...}, after: [s], caching: false });
//     },
//   });
//
// Artifacts given to the whole run are pipeline inputs (KFP root input artifacts), handed to
// `build` as its third argument; an optional one may only feed optional component inputs:
//
//     inputs: { init_model: artifactInput('system.Model', { optional: true }) },
//     build: (p, params, inputs) => { p.task(train, { inputs: { ..., init_model: inputs.init_model } }); },
//
// Task names default to the component name and must be unique (pass `name` to reuse a
// component). Parameters take constants or `params.<x>`; inputs take task outputs or pipeline
// inputs. TypeScript rejects an output of the wrong artifact type; compilePipeline re-checks
// everything (unknown outputs/parameters, type mismatches, missing required inputs and
// parameters, cycles).
//
// ## Compiling and running
//
//   const spec = compilePipeline(pipeline, { image: 'myregistry/sealed:0.1.0' });   // PipelineSpec object
//   const registry = ComponentRegistry.fromPipeline(pipeline);
//   const manifest = await runPipeline(spec, registry, { runDir: 'runs/x', parameters: { data_size: 1000 } });
//   // run input artifacts are local paths, copied into the run as inputs/<name><ext>:
//   await runPipeline(spec, registry, { runDir: 'runs/y', artifacts: { init_model: 'model.ubj' } });
//   manifest.state;  // 'succeeded' | 'failed' — a task failure resolves, it does not reject
//
// The run directory then holds pipeline.json (the IR), run.json (the manifest, rewritten
// atomically on every state change), and per task `<task>/<output><extension>` plus
// `<task>/log.txt`. A KFP container runs the same components through executeComponent with
// the ExecutorInput JSON KFP substitutes for `{{$}}`.
export * from './dsl/index.ts';
export type * from './ir/types.ts';
export { ARTIFACT_TYPES, PARAMETER_TYPES, isArtifactTypeName, validatePipelineIr, type ArtifactTypeName, type ParameterType } from './ir/index.ts';
export * from './compiler/index.ts';
export * from './executor/index.ts';
export * from './store/index.ts';
export * from './report/index.ts';
export * from './local/index.ts';
