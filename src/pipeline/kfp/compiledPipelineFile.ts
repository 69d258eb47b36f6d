// Reads a compiled pipeline (the YAML `sealed compile` writes) before anything is sent: the first
// YAML document is the PipelineSpec, an optional second one the Kubernetes platform config. Only
// what the client needs is checked and read (name, run parameters, tasks); the bytes are uploaded
// unchanged, because KFP parses them itself, strictly.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { DataError, IoError, PipelineError } from '../../core/errors.ts';
import { KFP_PARAMETER_TYPES, validatePipelineIr, type KfpParameterType } from '../ir/index.ts';
import type { PipelineUpload } from './kfpClient.ts';

/** A run parameter's declared type: any of KFP's, since the file may come from another compiler. */
export type RuntimeParameterType = KfpParameterType;

const rootParameterSchema = z.object({
  parameterType: z.enum(KFP_PARAMETER_TYPES),
  defaultValue: z.unknown().optional(),
  isOptional: z.boolean().optional(),
  // Constraints the client checks before a run (ir/parameterConstraints.ts; `literals` is KFP 2.16+'s own).
  description: z.string().optional(),
  literals: z.array(z.unknown()).optional(),
});
export type RootParameter = z.infer<typeof rootParameterSchema>;

const pipelineSpecSchema = z.object({
  pipelineInfo: z.object({ name: z.string().min(1), description: z.string().optional() }),
  schemaVersion: z.string().min(1),
  sdkVersion: z.string().optional(),
  root: z.object({
    inputDefinitions: z.object({ parameters: z.record(z.string(), rootParameterSchema).optional() }).optional(),
    dag: z.object({ tasks: z.record(z.string(), z.unknown()).optional() }).optional(),
  }),
});

export interface CompiledPipeline {
  /** `pipelineInfo.name`. */
  name: string;
  description?: string;
  /** `root.inputDefinitions.parameters`: the run parameters. */
  parameters: Record<string, RootParameter>;
  /** Names of the tasks of the root DAG. */
  tasks: string[];
  /** `sdkVersion`: our files record the KFP release they were compiled for in it. */
  sdkVersion?: string;
  upload: PipelineUpload;
}

/** `shown` is how messages name the file. */
export async function readCompiledPipeline(path: string, shown: string): Promise<CompiledPipeline> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new IoError('io.notFound', { path: shown }, { cause: e });
    throw new IoError('io.readFailed', { path: shown, reason: e.message }, { cause: e });
  });
  const spec = parseSpec(bytes.toString('utf8'), shown);
  return {
    name: spec.pipelineInfo.name,
    description: spec.pipelineInfo.description,
    parameters: declaredParameters(spec),
    tasks: Object.keys(spec.root.dag?.tasks ?? {}),
    ...(spec.sdkVersion !== undefined ? { sdkVersion: spec.sdkVersion } : {}),
    // KFP picks its parser by the file name: it must end in .yaml.
    upload: { fileName: `${basename(path).replace(/\.(ya?ml|json)$/i, '')}.yaml`, bytes },
  };
}

function parseSpec(text: string, shown: string): z.infer<typeof pipelineSpecSchema> {
  const bad = (reason: string): PipelineError => new PipelineError('kfp.badPipelineFile', { path: shown, reason });
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      // The yaml package ends its first line with its own " at line L, column C:"; ours says where.
      const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw bad(`invalid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${what}`);
    }
  }
  const values = docs.map((d) => d.toJS() as unknown);
  if (values.length === 0 || values[0] == null) throw bad('the file holds no YAML document');
  if (values.length > 2) throw bad(`it has ${values.length} YAML documents; expected the PipelineSpec and at most a platform config`);
  if (!isMapping(values[0])) throw bad('the first YAML document is not a mapping');
  if (values.length === 2 && !(isMapping(values[1]) && 'platforms' in values[1])) throw bad('the second YAML document is not a platform config (it has no platforms key)');
  const parsed = pipelineSpecSchema.safeParse(values[0]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`${issue.path.join('.')}: ${issue.message}`);
  }
  // Our own files get the full IR check before upload (KFP's answer to one stray field is an
  // unhelpful "pipeline spec is invalid"). Files from other compilers may use IR fields we never
  // emit, so only the basic shape above is checked for them.
  if (typeof values[0].sdkVersion === 'string' && values[0].sdkVersion.startsWith('sealed-')) {
    try {
      validatePipelineIr(values[0], values[1]);
    } catch (e) {
      throw bad((e as Error).message);
    }
  }
  return parsed.data;
}

/**
 * The run parameters. A description's constraint tag (ir/parameterConstraints.ts) is ours only in
 * files we compiled (sdkVersion sealed-...): in another compiler's file "[range: ...]" is prose, so
 * its descriptions are dropped here and only KFP's own `literals` constrain values.
 */
function declaredParameters(spec: z.infer<typeof pipelineSpecSchema>): Record<string, RootParameter> {
  const declared = spec.root.inputDefinitions?.parameters ?? {};
  if (spec.sdkVersion?.startsWith('sealed-')) return declared;
  return Object.fromEntries(Object.entries(declared).map(([k, { description: _prose, ...p }]) => [k, p]));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A pipeline_spec Struct from the API: the PipelineSpec, or {pipeline_spec, platform_spec} (api_util.go, YamlStringToPipelineSpecStruct). */
function unwrapSpec(struct: Record<string, unknown>): unknown {
  return isMapping(struct.pipeline_spec) ? struct.pipeline_spec : struct;
}

/** The root DAG's task names of a pipeline_spec Struct; undefined when it does not parse. */
export function specTaskNames(struct: Record<string, unknown>): string[] | undefined {
  const parsed = pipelineSpecSchema.safeParse(unwrapSpec(struct));
  return parsed.success ? Object.keys(parsed.data.root.dag?.tasks ?? {}) : undefined;
}

/** Name and run parameters of a version's pipeline_spec, to check --param values against it. */
export function specParameters(struct: Record<string, unknown>): { name: string; parameters: Record<string, RootParameter> } {
  const parsed = pipelineSpecSchema.safeParse(unwrapSpec(struct));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError('kfp.badResponse', { host: 'the server', action: 'reading the pipeline version', reason: `pipeline_spec ${issue.path.join('.')}: ${issue.message}` });
  }
  return { name: parsed.data.pipelineInfo.name, parameters: declaredParameters(parsed.data) };
}
