// `sealed compile`: the catalog's pipeline -> the KFP v2 pipeline YAML (IR + Kubernetes platform
// config), checked against the project's IR schema and written atomically. Deploy flags apply
// to every task; --deploy-config FILE (JSON or YAML: {"all": {...}, "tasks": {"<task>": {...}}})
// sets options per task, over the flags.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { IoError, PipelineError, UsageError, excerpt, writeFileAtomic } from '../../core/index.ts';
import { checkDeployConfig, compilePipelineDocuments, DEFAULT_KFP_VERSION, ENCLAVE_CLUSTER_NOTE, ENCLAVE_COMMAND, mergeDeployOptions, SEAL_KEYS_MOUNT, toPipelineYaml, validateParameter, type ParamSpec, type PipelineDefinition, type PipelineSpec } from '../../pipeline/index.ts';
import { checkedDeployFlags, type DeployFlags } from '../deployFlags.ts';
import type { CliIo } from '../io.ts';
import type { PipelineCatalog } from '../pipelineCatalog.ts';

export interface CompileCommandOptions extends DeployFlags {
  pipeline?: string;
  output: string;
  image?: string;
  displayName?: string;
  deployConfig?: string;
  kfpVersion?: string;
  /** `name=URI`, repeatable: run input artifacts imported from object storage. */
  inputArtifact?: string[];
  /** `--artifact-format csv|parquet`: the default of the run parameter artifact_format in the file. */
  artifactFormat?: string;
}

// A container image reference as Kubernetes pulls it: [registry[:port]/]path[:tag][@digest].
// Kubeflow pulls every task's image from a registry, so there is no useful default.
const IMAGE_REF = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:(?::[0-9]{1,5})?\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const MAX_IMAGE_LENGTH = 512;

export async function compileCommand(options: CompileCommandOptions, io: CliIo, catalog: PipelineCatalog): Promise<number> {
  const { pipeline: defined } = await catalog();
  const pipeline = withArtifactFormat(defined, options.artifactFormat);
  if (options.pipeline !== undefined && options.pipeline !== pipeline.name) {
    throw new UsageError('cli.unknownPipeline', { name: options.pipeline, known: [pipeline.name] });
  }
  const image = checkImage(options.image);
  const flags = checkedDeployFlags(options);
  const importUris = parseInputArtifacts(options.inputArtifact ?? []);
  const config = options.deployConfig !== undefined ? await readDeployConfig(resolve(io.cwd, options.deployConfig)) : { all: {}, tasks: {} };
  const docs = compilePipelineDocuments(pipeline, {
    image,
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    ...(options.kfpVersion !== undefined ? { kfpVersion: options.kfpVersion } : {}),
    deploy: mergeDeployOptions(flags, config.all),
    taskDeploy: config.tasks,
    inputArtifacts: 'importer',
    importUris,
  });
  const out = resolve(io.cwd, options.output);
  await writeFileAtomic(out, toPipelineYaml(docs));
  const tasks = Object.keys(docs.spec.root.dag.tasks).length;
  const version = options.kfpVersion ?? DEFAULT_KFP_VERSION;
  io.stderr.write(`compiled pipeline '${pipeline.name}' (${tasks} tasks${docs.platform ? ', with Kubernetes platform config' : ''}) for Kubeflow Pipelines ${version} and later to ${options.output}\n`);
  for (const note of clusterNotes(docs.spec)) io.stderr.write(`note: ${note}\n`);
  return 0;
}

/** What the compiled file expects the cluster to provide, which no field of it can say (sealedRuntime.ts). */
function clusterNotes(spec: PipelineSpec): string[] {
  const containers = Object.values(spec.deploymentSpec.executors).flatMap((e) => (e.container ? [e.container] : []));
  const env = (name: string) => new Set(containers.map((c) => c.env?.find((e) => e.name === name)?.value).filter((v): v is string => v !== undefined));
  const notes: string[] = [];
  if (containers.some((c) => c.command[0] === ENCLAVE_COMMAND[0])) notes.push(ENCLAVE_CLUSTER_NOTE);
  const provider = [...env('SEALED_KEY_PROVIDER')][0];
  if (provider === 'local') notes.push(`sealed run: the key folder must be a secret in the run's namespace (kubectl create secret generic <name> --from-file=kek.key --from-file=signing.key --from-file=signing.pub); it is mounted at ${SEAL_KEYS_MOUNT}`);
  if (provider === 'azure-skr') notes.push('sealed run: the attestation policy (sealed enclave policy) must be a config map with key policy.json in the run\'s namespace');
  return notes;
}

/**
 * The pipeline with `artifact_format`'s default set to the flag's value (checked against the
 * parameter's enum): a run started from the compiled file without the parameter uses it.
 */
function withArtifactFormat(pipeline: PipelineDefinition, format: string | undefined): PipelineDefinition {
  if (format === undefined) return pipeline;
  const spec = (pipeline.parameters as Record<string, ParamSpec>).artifact_format;
  if (spec === undefined) throw new UsageError('cli.runOptionUnsupported', { option: '--artifact-format', pipeline: pipeline.name });
  validateParameter(`pipeline '${pipeline.name}'`, 'artifact_format', spec, format);
  return { ...pipeline, parameters: { ...pipeline.parameters, artifact_format: { ...spec, default: format } } } as PipelineDefinition;
}

function checkImage(image: string | undefined): string {
  if (image === undefined) throw new UsageError('cli.imageRequired', {});
  if (image.length > MAX_IMAGE_LENGTH || !IMAGE_REF.test(image)) {
    throw new UsageError('cli.badValue', { option: '--image', value: excerpt(image), expected: 'an image reference such as myacr.azurecr.io/sealed-pipelines:0.1.0' });
  }
  return image;
}

function parseInputArtifacts(texts: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const text of texts) {
    const at = text.indexOf('=');
    if (at <= 0) throw new UsageError('cli.badValue', { option: '--input-artifact', value: excerpt(text), expected: 'name=URI (e.g. init_model=minio://mlpipeline/models/model.json)' });
    const name = text.slice(0, at);
    if (Object.hasOwn(out, name)) throw new UsageError('cli.badValue', { option: '--input-artifact', value: excerpt(text), expected: `each name once ('${name}' is given twice)` });
    out[name] = text.slice(at + 1);
  }
  return out;
}


async function readDeployConfig(path: string): Promise<ReturnType<typeof checkDeployConfig>> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'ENOENT' ? new IoError('io.notFound', { path }) : new IoError('io.readFailed', { path, reason: e.message });
  });
  let value: unknown;
  try {
    // YAML is a superset of JSON: one parser for both.
    value = parse(text, { prettyErrors: false });
  } catch (e) {
    throw new PipelineError('pipeline.badDeployOption', { where: path, field: '(file)', reason: (e as Error).message.split('\n')[0] });
  }
  return checkDeployConfig(path, value);
}
