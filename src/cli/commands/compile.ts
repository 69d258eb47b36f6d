// `sealed compile`: the catalog's pipeline -> the KFP v2 pipeline YAML (IR + Kubernetes platform
// config), checked against the project's IR schema and written atomically. Deploy flags apply
// to every task; --deploy-config FILE (JSON or YAML: {"all": {...}, "tasks": {"<task>": {...}}})
// sets options per task, over the flags.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { IoError, PipelineError, UsageError, writeFileAtomic } from '../../core/index.ts';
import { checkDeployConfig, compilePipelineDocuments, mergeDeployOptions, toPipelineYaml } from '../../pipeline/index.ts';
import { checkedDeployFlags, type DeployFlags } from '../deployFlags.ts';
import type { CliIo } from '../io.ts';
import type { PipelineCatalog } from '../pipelineCatalog.ts';

export interface CompileCommandOptions extends DeployFlags {
  pipeline?: string;
  output: string;
  image?: string;
  displayName?: string;
  deployConfig?: string;
}

export async function compileCommand(options: CompileCommandOptions, io: CliIo, catalog: PipelineCatalog): Promise<number> {
  const { pipeline } = await catalog();
  if (options.pipeline !== undefined && options.pipeline !== pipeline.name) {
    throw new UsageError('cli.unknownPipeline', { name: options.pipeline, known: [pipeline.name] });
  }
  const flags = checkedDeployFlags(options);
  const config = options.deployConfig !== undefined ? await readDeployConfig(resolve(io.cwd, options.deployConfig)) : { all: {}, tasks: {} };
  const docs = compilePipelineDocuments(pipeline, {
    ...(options.image !== undefined ? { image: options.image } : {}),
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    deploy: mergeDeployOptions(flags, config.all),
    taskDeploy: config.tasks,
  });
  const out = resolve(io.cwd, options.output);
  await writeFileAtomic(out, toPipelineYaml(docs));
  const tasks = Object.keys(docs.spec.root.dag.tasks).length;
  io.stderr.write(`compiled pipeline '${pipeline.name}' (${tasks} tasks${docs.platform ? ', with Kubernetes platform config' : ''}) to ${options.output}\n`);
  return 0;
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
