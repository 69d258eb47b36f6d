// The steps of `sealed deploy plan|up|down` (issue 18 item 3): steps as data, their runner and state.
export { deployPlanCommand, deployUpCommand, deployDownCommand, defaultStateDir, findRepoRoot, type DeployDeps, type DeployOptions, type UpOptions } from './commands.ts';
export { deployRenderCommand, type RenderCommandOptions } from './renderCommand.ts';
export { upSteps, downSteps, IMAGE_REPOSITORY, CERTIFICATE, PROVISIONAL_DOMAIN, PULUMI_CONFIG_FILE, type DeployTarget, type UpInputs, type KubeflowInputs, type RenderRequest } from './upSteps.ts';
export { executeSteps, fingerprint, StepFailedError, CommandFailedError, type ExecuteOptions, type ExecuteResult } from './execute.ts';
export { processRunner, childEnvironment, DEFAULT_TIMEOUT_MS, OUTPUT_CAP_BYTES, type CommandRunner, type RunRequest, type RunResult, type Argv } from './runner.ts';
export { openStateDir, readState, writeState, emptyState, STATE_FILE, KUBECONFIG_FILE, type DeployState, type StepRecord } from './state.ts';
export { formatPlan, flattenConfig } from './plan.ts';
export { checkTools, TOOLS, type ToolSpec } from './tools.ts';
export { DEFAULT_KUBEFLOW_TIMING, type KubeflowTiming } from './kubeflow.ts';
export { showCommand, showArgv, type Step, type StepCommand, type StepContext } from './types.ts';
export type { DeployIo } from './io.ts';
