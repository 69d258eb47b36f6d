// Talking to a Kubeflow Pipelines cluster over its REST API v2beta1: upload a compiled pipeline
// (or a new version of it), start a run with typed parameters, watch, list and stop runs.
//
//   const compiled = await readCompiledPipeline('loan-default.yaml', 'loan-default.yaml');
//   const parameters = parseRuntimeParameters(compiled.name, ['data_size=1000'], compiled.parameters);
//   const client = new KfpClient({ host: 'https://kubeflow.example.com/pipeline', credentials: bearerToken(token, 'KFP_TOKEN'), namespace: 'alice' });
//   try {
//     const { run } = await submitPipeline(client, compiled, { pipelineName: compiled.name, versionName: 'v2', experiment: 'Default', runName: 'r1', parameters });
//     const { run: last } = await watchRun(client, run.run_id, { report: (line) => console.error(line) });
//   } finally {
//     await client.close();
//   }
//
// Every failure is a one-line SealedError (`kfp.*` in the message catalog); credentials never
// appear in one.
export { KfpClient, type KfpClientOptions, type PipelineUpload, type NewRun, type RunsPage, type Page } from './kfpClient.ts';
export type { KfpConnectionOptions } from './kfpTransport.ts';
export { bearerToken, sessionCookie, type KfpCredentials } from './credentials.ts';
export { loadCaFile } from './kfpAgent.ts';
export { isTerminalState, type KfpPipeline, type KfpPipelineVersion, type KfpExperiment, type KfpRun, type KfpTaskDetail } from './apiSchemas.ts';
export { readCompiledPipeline, type CompiledPipeline, type RootParameter, type RuntimeParameterType } from './compiledPipelineFile.ts';
export { parseRuntimeParameters, type RuntimeValue } from './runtimeParameters.ts';
export { submitPipeline, type SubmitOptions, type Submitted } from './submitPipeline.ts';
export { watchRun, type WatchRunOptions, type WatchRunResult } from './watchRun.ts';
export { runDetailLines, runListLine, formatTime } from './formatRun.ts';
export { submitVersion, checkCluster } from './submitPipeline.ts';
export { resolveNamespace, contextFilePath, type NamespaceChoice } from './namespace.ts';
export { ownTasks, runTaskNames } from './pipelineTasks.ts';
export { specParameters, specTaskNames } from './compiledPipelineFile.ts';
export { listPipelines, getPipeline, listVersions, listExperiments } from './kfpCatalog.ts';
export { createRecurringRun, listRecurringRuns, changeRecurringRun, checkSchedule, type NewRecurringRun } from './kfpRecurringRuns.ts';
export { checkCron } from './cronSchedule.ts';
export { changeRun, type RunAction } from './kfpRunActions.ts';
export { listRunArtifacts, downloadArtifacts, type ArtifactRef } from './runArtifacts.ts';
export type { KfpRecurringRun } from './apiSchemas.ts';
