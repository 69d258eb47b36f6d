// What Kubeflow does with a compiled pipeline file, minus Kubernetes: read the YAML, walk the
// DAG in dependency order, and for each task do what the KFP v2 driver + launcher do — resolve
// parameters (run parameter, constant, else the component's default), give every artifact a
// URI, hand the container its args with `{{$}}` replaced by the ExecutorInput JSON, run the
// container command as a process, then merge the executor output file's metadata into the
// output artifacts that downstream tasks receive. `/app/` in the command (the image's layout)
// is the repository here; URIs are local paths (the launcher's "any other URI").
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PipelineSpec } from '../../../src/pipeline/index.ts';
import { repoRoot } from '../../helpers/sharedData.ts';

type Json = Record<string, unknown>;
interface RuntimeArtifact {
  name: string;
  type: { schemaTitle: string; schemaVersion: string };
  uri: string;
  metadata: Json;
}

export interface LaunchedTask {
  outputs: Record<string, RuntimeArtifact>;
  executorInput: Json;
}

export async function launchPipelineFile(yamlPath: string, runParameters: Json, root: string): Promise<Map<string, LaunchedTask>> {
  const spec = parseAllDocuments(readFileSync(yamlPath, 'utf8'))[0].toJS() as PipelineSpec;
  const runId = 'run-1';
  const done = new Map<string, LaunchedTask>();
  const pending = new Set(Object.keys(spec.root.dag.tasks));
  while (pending.size > 0) {
    const ready = [...pending].find((t) => (spec.root.dag.tasks[t].dependentTasks ?? []).every((d) => done.has(d)));
    if (!ready) throw new Error(`no task is ready among ${[...pending].join(', ')}`);
    pending.delete(ready);
    done.set(ready, await launchTask(spec, ready, runParameters, done, join(root, 'v2', 'artifacts', spec.pipelineInfo.name, runId, ready), join(root, 'tmp', ready)));
  }
  return done;
}

async function launchTask(spec: PipelineSpec, name: string, runParameters: Json, done: Map<string, LaunchedTask>, artifactDir: string, tmp: string): Promise<LaunchedTask> {
  const task = spec.root.dag.tasks[name];
  const component = spec.components[task.componentRef.name];
  const parameterValues: Json = {};
  for (const [key, def] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    const b = task.inputs?.parameters?.[key];
    const rootDefault = b && 'componentInputParameter' in b ? spec.root.inputDefinitions?.parameters?.[b.componentInputParameter]?.defaultValue : undefined;
    const value = !b ? def.defaultValue : 'componentInputParameter' in b ? (runParameters[b.componentInputParameter] ?? rootDefault) : 'runtimeValue' in b ? b.runtimeValue.constant : undefined;
    if (value !== undefined) parameterValues[key] = value;
  }
  const artifacts: Record<string, { artifacts: RuntimeArtifact[] }> = {};
  for (const [key, b] of Object.entries(task.inputs?.artifacts ?? {})) {
    if (!('taskOutputArtifact' in b)) continue; // no run input artifacts in these runs
    artifacts[key] = { artifacts: [done.get(b.taskOutputArtifact.producerTask)!.outputs[b.taskOutputArtifact.outputArtifactKey]] };
  }
  const outputs: Record<string, RuntimeArtifact> = {};
  for (const [key, def] of Object.entries(component.outputDefinitions?.artifacts ?? {})) {
    outputs[key] = { name: key, type: { schemaTitle: def.artifactType.schemaTitle, schemaVersion: '0.0.1' }, uri: join(artifactDir, key), metadata: {} };
    mkdirSync(dirname(outputs[key].uri), { recursive: true });
  }
  const outputFile = join(tmp, 'kfp_outputs', 'output_metadata.json');
  const executorInput = {
    inputs: { parameterValues, artifacts },
    outputs: { artifacts: Object.fromEntries(Object.entries(outputs).map(([k, a]) => [k, { artifacts: [{ name: a.name, type: a.type, uri: a.uri }] }])), outputFile },
  };
  const container = spec.deploymentSpec.executors[component.executorLabel].container;
  const argv = [...container.command.slice(1), ...(container.args ?? [])].map((a) => (a === '{{$}}' ? JSON.stringify(executorInput) : a.replace(/^\/app\//, `${repoRoot}/`)));
  const { code, stderr } = await run(container.command[0] === 'node' ? process.execPath : container.command[0], argv);
  if (code !== 0) throw new Error(`task ${name} exited with ${code}: ${stderr}`);
  if (existsSync(outputFile)) {
    const written = JSON.parse(readFileSync(outputFile, 'utf8')) as { artifacts?: Record<string, { artifacts: { metadata?: Json }[] }> };
    for (const [k, a] of Object.entries(written.artifacts ?? {})) outputs[k].metadata = { ...outputs[k].metadata, ...(a.artifacts[0].metadata ?? {}) };
  }
  return { outputs, executorInput };
}

function run(command: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
