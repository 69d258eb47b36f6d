// The launcher in the user container (backend/src/v2/component/launcher_v2.go@<tag>, Execute/executeV2/execute):
// addDefaultParams (component defaults for parameters the driver left out, @2.0.5..HEAD), compileCmdAndArgs (`{{$}}` ->
// protojson of that ExecutorInput, plus the `{{$.inputs...}}`/`{{$.outputs...}}` placeholders of getPlaceholders),
// prepareOutputFolders, stdout/stderr also to the executor-logs file when the driver provisioned one (getLogWriter,
// @2.5.0+), exec the user command (exit != 0 -> "failed to execute component: exit status N"), then
// getExecutorOutputFile: no file -> empty ExecutorOutput; else STRICT protojson into that version's ExecutorOutput
// ("failed to unmarshall ExecutorOutput in file ..."); collectOutputParameters; uploadOutputArtifacts: for every output
// the driver provisioned, mergeRuntimeArtifacts (non-empty uri replaces, metadata keys merged; executor-logs
// skipped @HEAD) then RecordArtifact (mlmd.ts).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExecutorInputJson } from './driver.ts';
import type { Mlmd, MlmdArtifact, RuntimeArtifactJson } from './mlmd.ts';
import type { PodPaths } from './paths.ts';
import { localPathForUri } from './paths.ts';
import { ProtoJsonError, protojsonUnmarshal } from './protojson.ts';
import type { EmulatedPod } from './podSpec.ts';
import type { ComponentJson, UploadedPipeline } from './upload.ts';
import { namespacedCommand, type PodMount } from './podNamespace.ts';
import { projectSecret } from './secretVolume.ts';
import { PROFILES } from './versions.ts';

type Json = Record<string, unknown>;

export class KfpLauncherError extends Error {}

export interface LaunchResult {
  /** The ExecutorInput the container received as `{{$}}`, before the local-path substitution (paths.ts). */
  executorInput: ExecutorInputJson;
  /** The ExecutorInput `{{$}}` expanded to: the driver's plus component defaults (addDefaultParams), real URIs. */
  containerInput: ExecutorInputJson;
  /** What the container process was actually given. */
  argv: string[];
  executorOutput: Json;
  outputs: Record<string, MlmdArtifact>;
  stdout: string;
  stderr: string;
}

function addDefaultParams(input: ExecutorInputJson, component: ComponentJson): ExecutorInputJson {
  const copy = structuredClone(input);
  for (const [name, def] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
    if (def.defaultValue !== undefined && !(name in copy.inputs.parameterValues)) copy.inputs.parameterValues[name] = def.defaultValue;
  }
  return copy;
}

/**
 * The documented substitution of paths.ts: URIs and output files as this machine's paths. In a pod namespace
 * (podNamespace.ts) the artifact URIs stay the driver's (/minio is mounted there); output files are still mapped.
 */
function forThisMachine(input: ExecutorInputJson, paths: PodPaths, keepUris = false): ExecutorInputJson {
  const copy = structuredClone(input);
  const map = (lists: Record<string, { artifacts: RuntimeArtifactJson[] }>) => {
    if (keepUris) return;
    for (const l of Object.values(lists)) for (const a of l.artifacts) if (a.uri) a.uri = paths.uriToHost(a.uri);
  };
  map(copy.inputs.artifacts);
  if (copy.outputs) {
    map(copy.outputs.artifacts);
    copy.outputs.outputFile = paths.host(copy.outputs.outputFile);
    for (const p of Object.values(copy.outputs.parameters)) p.outputFile = paths.host(p.outputFile);
  }
  return copy;
}

function placeholders(input: ExecutorInputJson): [string, string][] {
  const out: [string, string][] = [];
  for (const [n, l] of Object.entries(input.inputs.artifacts)) {
    const a = l.artifacts[0];
    if (!a) continue;
    out.push([`{{$.inputs.artifacts['${n}'].uri}}`, a.uri ?? ''], [`{{$.inputs.artifacts['${n}'].path}}`, a.uri ?? '']);
  }
  for (const [n, l] of Object.entries(input.outputs?.artifacts ?? {})) {
    const a = l.artifacts[0];
    out.push([`{{$.outputs.artifacts['${n}'].uri}}`, a.uri ?? ''], [`{{$.outputs.artifacts['${n}'].path}}`, a.uri ?? '']);
  }
  for (const [n, v] of Object.entries(input.inputs.parameterValues)) out.push([`{{$.inputs.parameters['${n}']}}`, typeof v === 'string' ? v : JSON.stringify(v)]);
  for (const [n, p] of Object.entries(input.outputs?.parameters ?? {})) out.push([`{{$.outputs.parameters['${n}'].output_file}}`, p.outputFile]);
  return out;
}

export interface LaunchOptions {
  /** The repository: `/app/` in the image (Dockerfile WORKDIR layout). */
  appDir: string;
  timeoutMs?: number;
  /** The cluster's Secret objects (name -> key -> bytes) that secret volumes project (secretVolume.ts). */
  secrets?: Record<string, Record<string, Uint8Array | string>>;
  /**
   * 'substitute' (default): paths.ts's substitution, pod volumes at their host paths and env values under a
   * mount path rewritten to the host path. 'namespace': the pod's own view (podNamespace.ts), nothing rewritten.
   */
  isolation?: 'substitute' | 'namespace';
}

/**
 * Secret volumes as the kubelet sets them up before the container starts (secretVolume.ts); a missing secret that is
 * not optional keeps the pod from starting (the kubelet's MountVolume.SetUp event, pkg/volume/secret/secret.go).
 * Config-map volumes are not projected (no task here reads one).
 */
function projectVolumes(pod: EmulatedPod, paths: PodPaths, secrets: LaunchOptions['secrets'] = {}): PodMount[] {
  const mounts: PodMount[] = [];
  for (const volume of pod.volumes) {
    const secret = volume.secret as { secretName: string; optional?: boolean } | undefined;
    const mount = pod.volumeMounts.find((m) => m.name === volume.name);
    if (!secret || !mount) continue;
    const data = secrets[secret.secretName];
    if (!data) {
      if (secret.optional === true) continue;
      throw new KfpLauncherError(`MountVolume.SetUp failed for volume "${String(volume.name)}" : secret "${secret.secretName}" not found`);
    }
    const host = paths.host(mount.mountPath);
    projectSecret(host, data);
    mounts.push({ host, pod: mount.mountPath, readOnly: true });
  }
  return mounts;
}

export async function launchContainer(uploaded: UploadedPipeline, taskName: string, input: ExecutorInputJson, pod: EmulatedPod, mlmd: Mlmd, paths: PodPaths, options: LaunchOptions): Promise<LaunchResult> {
  const profile = PROFILES[uploaded.version];
  const task = uploaded.spec.root.dag.tasks[taskName];
  const component = uploaded.spec.components[task.componentRef.name];
  const containerInput = addDefaultParams(input, component);
  const namespaced = options.isolation === 'namespace';
  const withDefaults = forThisMachine(containerInput, paths, namespaced);
  const volumes = projectVolumes(pod, paths, options.secrets);
  const json = JSON.stringify(withDefaults);
  const subs = placeholders(withDefaults);
  const argv = pod.userCommand.map((arg) => {
    let s = arg.replaceAll('{{$}}', json);
    for (const [k, v] of subs) s = s.replaceAll(k, v);
    return s.startsWith('/app/') ? `${options.appDir}/${s.slice('/app/'.length)}` : s;
  });
  // prepareOutputFolders
  for (const p of Object.values(withDefaults.outputs?.parameters ?? {})) mkdirSync(dirname(p.outputFile), { recursive: true });
  for (const l of Object.values(withDefaults.outputs?.artifacts ?? {})) for (const a of l.artifacts) mkdirSync(dirname(namespaced ? paths.uriToHost(a.uri!) : a.uri!), { recursive: true });
  const logsUri = input.outputs?.artifacts['executor-logs']?.artifacts[0]?.uri;
  const logFile = profile.executorLogs && logsUri ? createWriteStream(paths.uriToHost(logsUri)) : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The operator's data-source policy for the image (src/data/source/sourcePolicy.ts): without it the executor reads no
  // local file at all. The tests' data_url files live in temporary folders, so that is the data root here.
  env.SEALED_DATA_POLICY ??= JSON.stringify({ localPaths: 'roots', dataRoots: [tmpdir()], allowPrivateNetworks: false });
  for (const e of pod.env) if (typeof e.value === 'string') env[e.name as string] = namespaced ? e.value : underMount(e.value, volumes);
  const [cmd, ...args] = argv;
  const command = [cmd === 'node' ? process.execPath : cmd, ...args];
  let result: { code: number; stdout: string; stderr: string };
  if (namespaced) {
    mkdirSync(paths.host('/'), { recursive: true });
    const scratch = mkdtempSync(join(paths.host('/'), '.namespace-'));
    const store = ['/minio/', '/s3/', '/gcs/'].map((m) => ({ host: paths.host(m), pod: m.slice(0, -1), readOnly: false }));
    for (const m of store) mkdirSync(m.host, { recursive: true });
    const [nsCmd, nsArgs] = namespacedCommand(scratch, [...store, ...volumes], process.cwd(), command);
    try {
      result = await run(nsCmd, nsArgs, env, logFile, options.timeoutMs ?? 300_000);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  } else {
    result = await run(command[0], command.slice(1), env, logFile, options.timeoutMs ?? 300_000);
  }
  const { code, stdout, stderr } = result;
  if (code !== 0) throw new KfpLauncherError(`failed to execute component: exit status ${code}\n${stderr}`);
  // getExecutorOutputFile
  const outputFileHost = withDefaults.outputs!.outputFile;
  let executorOutput: Json = { parameterValues: {}, artifacts: {} };
  if (existsSync(outputFileHost)) {
    const text = readFileSync(outputFileHost, 'utf8');
    try {
      executorOutput = { parameterValues: {}, artifacts: {}, ...(protojsonUnmarshal(profile.api, '.ml_pipelines.ExecutorOutput', text) as Json) };
    } catch (e) {
      if (e instanceof ProtoJsonError) throw new KfpLauncherError(`failed to execute component: failed to unmarshall ExecutorOutput in file "${input.outputs!.outputFile}": ${e.message}`);
      throw e;
    }
  }
  // collectOutputParameters
  const params = executorOutput.parameterValues as Json;
  for (const [name, p] of Object.entries(withDefaults.outputs?.parameters ?? {})) {
    if (name in params) continue;
    const type = component.outputDefinitions?.parameters?.[name]?.parameterType;
    try {
      const text = readFileSync(p.outputFile, 'utf8');
      params[name] = type === 'STRING' ? text : JSON.parse(text);
    } catch (e) {
      throw new KfpLauncherError(`failed to read output parameter name="${name}" type="${type}" path="${input.outputs!.parameters[name].outputFile}": ${(e as Error).message}`);
    }
  }
  mlmd.outputParameters.set(taskName, params);
  // uploadOutputArtifacts
  const written = executorOutput.artifacts as Record<string, { artifacts?: RuntimeArtifactJson[] }>;
  const outputs: Record<string, MlmdArtifact> = {};
  for (const [name, list] of Object.entries(input.outputs?.artifacts ?? {})) {
    const ra: RuntimeArtifactJson = structuredClone(list.artifacts[0]);
    const src = written[name]?.artifacts?.[0];
    if (src && !(uploaded.version === 'HEAD' && name === 'executor-logs')) {
      if (src.uri) ra.uri = src.uri;
      if (src.metadata) ra.metadata = { ...(ra.metadata ?? {}), ...src.metadata };
    }
    try {
      localPathForUri(ra.uri ?? '');
    } catch {
      if (uploaded.version === 'HEAD' && name === 'executor-logs') continue;
    }
    outputs[name] = mlmd.record(taskName, name, ra, profile.storeSessionInfo ? '{"Provider":"minio","Params":{"fromEnv":"false"}}' : undefined);
  }
  return { executorInput: input, containerInput, argv, executorOutput, outputs, stdout, stderr };
}

/** A pod path under a projected volume, as its host path (the substitution of paths.ts, for env values). */
function underMount(value: string, mounts: PodMount[]): string {
  for (const m of mounts) if (value === m.pod || value.startsWith(`${m.pod}/`)) return m.host + value.slice(m.pod.length);
  return value;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, log: NodeJS.WritableStream | undefined, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      log?.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      log?.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      log?.end();
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
