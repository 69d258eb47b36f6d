// The KFP v2 ExecutorInput (what `{{$}}` expands to) and ExecutorOutput (what a component
// writes to outputs.outputFile), kfp-contract §3. Parsing is lenient about extra fields,
// since the KFP launcher may add some, and strict about the ones we read. What the real
// driver sends (kubeflow/pipelines backend/src/v2/driver/driver.go@2.0.5..HEAD provisionOutputs,
// metadata/client.go ToRuntimeArtifact): input artifacts typed {"instanceSchema": ""} with the MLMD id
// as `name`; output artifacts typed by schemaTitle, without `name` before HEAD; possibly an
// empty artifact list. Hostile input is refused in one line: text over MAX_INPUT_BYTES, nesting
// deeper than MAX_DEPTH, control characters, `..` segments or unsupported schemes in URIs and
// output files (checked in executeComponent).
import type { z } from 'zod';
import { UsageError } from '../../core/index.ts';
import { lazily, zod } from '../../core/lazyZod.ts';
import type { JsonValue, ParameterValue } from '../ir/index.ts';

export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
export const MAX_DEPTH = 64;

// Built on first use (core/lazyZod.ts): only a KFP executor checks an executor input, a local run never loads zod.
function buildSchemas() {
  const { z } = zod();
  const runtimeArtifact = z.looseObject({
    name: z.string().optional(),
    // schemaTitle, or instanceSchema ("" from ToRuntimeArtifact), or nothing: the declared type is used then.
    type: z.looseObject({ schemaTitle: z.string().optional(), instanceSchema: z.string().optional(), schemaVersion: z.string().optional() }).optional(),
    uri: z.string().min(1),
    metadata: z.record(z.string(), z.unknown()).optional(),
  });
  const artifactList = z.looseObject({ artifacts: z.array(runtimeArtifact) });

  const executorInputSchema = z.looseObject({
    inputs: z
      .looseObject({
        parameterValues: z.record(z.string(), z.unknown()).optional(),
        artifacts: z.record(z.string(), artifactList).optional(),
      })
      .optional(),
    outputs: z
      .looseObject({
        parameters: z.record(z.string(), z.looseObject({ outputFile: z.string() })).optional(),
        artifacts: z.record(z.string(), artifactList).optional(),
        outputFile: z.string().optional(),
      })
      .optional(),
  });
  return { runtimeArtifact, executorInputSchema };
}
const schemas = lazily(buildSchemas);

type Schemas = ReturnType<typeof buildSchemas>;
export type ExecutorInput = z.infer<Schemas['executorInputSchema']>;
export type RuntimeArtifact = z.infer<Schemas['runtimeArtifact']>;

export interface ExecutorOutput {
  parameterValues: Record<string, ParameterValue>;
  artifacts: Record<string, { artifacts: { name: string; metadata: Record<string, JsonValue> }[] }>;
}

/** Accepts the JSON text or the parsed object. */
export function parseExecutorInput(component: string, input: unknown): ExecutorInput {
  let value = input;
  if (typeof input === 'string') {
    const bytes = Buffer.byteLength(input);
    if (bytes > MAX_INPUT_BYTES) throw new UsageError('pipeline.badExecutorInput', { component, reason: `${bytes} bytes, more than the ${MAX_INPUT_BYTES} allowed` });
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new UsageError('pipeline.badExecutorInput', { component, reason: `not JSON (${(e as Error).message})` });
    }
  }
  const tooDeep = depthOver(value, MAX_DEPTH);
  if (tooDeep) throw new UsageError('pipeline.badExecutorInput', { component, reason: `nested more than ${MAX_DEPTH} levels deep` }, { location: { field: tooDeep } });
  const plain = plainExecutorInput(value);
  if (plain !== undefined) return plain;
  const result = schemas().executorInputSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new UsageError('pipeline.badExecutorInput', { component, reason: issue.message }, field ? { location: { field } } : undefined);
  }
  return result.data;
}

/**
 * The value itself when it plainly has the schema's shape (what the local runner builds for each
 * task: object literals, strings where the schema wants strings), checked without zod, so a
 * local run never loads it. Anything else (a field of a wrong type, a non-plain object, getters,
 * symbols): undefined, and the schema decides and words the error. The executor only reads it.
 */
export function plainExecutorInput(value: unknown): ExecutorInput | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { inputs, outputs } = value;
  if (inputs !== undefined) {
    if (!isPlainRecord(inputs)) return undefined;
    if (inputs.parameterValues !== undefined && !isPlainRecord(inputs.parameterValues)) return undefined;
    if (inputs.artifacts !== undefined && !isArtifactLists(inputs.artifacts)) return undefined;
  }
  if (outputs !== undefined) {
    if (!isPlainRecord(outputs)) return undefined;
    if (outputs.parameters !== undefined && !(isPlainRecord(outputs.parameters) && Object.values(outputs.parameters).every((p) => isPlainRecord(p) && typeof p.outputFile === 'string'))) return undefined;
    if (outputs.artifacts !== undefined && !isArtifactLists(outputs.artifacts)) return undefined;
    if (outputs.outputFile !== undefined && typeof outputs.outputFile !== 'string') return undefined;
  }
  return value as ExecutorInput;
}

const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

function isArtifactLists(v: unknown): boolean {
  if (!isPlainRecord(v)) return false;
  return Object.values(v).every((list) => isPlainRecord(list) && isPlainArray(list.artifacts) && list.artifacts.every(isRuntimeArtifact));
}

function isRuntimeArtifact(a: unknown): boolean {
  if (!isPlainRecord(a) || !optionalString(a.name) || typeof a.uri !== 'string' || a.uri.length === 0) return false;
  if (a.metadata !== undefined && !isPlainRecord(a.metadata)) return false;
  const t = a.type;
  return t === undefined || (isPlainRecord(t) && optionalString(t.schemaTitle) && optionalString(t.instanceSchema) && optionalString(t.schemaVersion));
}

/** An array literal's shape: Array.prototype, no holes, no getters, no extra properties. */
function isPlainArray(v: unknown): v is unknown[] {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype || Object.getOwnPropertySymbols(v).length > 0) return false;
  const own = Object.getOwnPropertyDescriptors(v) as Record<string, PropertyDescriptor>;
  if (Object.keys(own).length !== v.length + 1) return false; // the indices and `length`
  for (let i = 0; i < v.length; i++) if (own[i] === undefined || !('value' in own[i])) return false;
  return true;
}

/** An object literal's shape: Object.prototype, own enumerable data properties with string keys only. */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  // An own `__proto__` key (JSON.parse makes one) is dropped by the schema's copy: left to it.
  if (Object.getOwnPropertySymbols(v).length > 0 || Object.hasOwn(v, '__proto__')) return false;
  return Object.values(Object.getOwnPropertyDescriptors(v)).every((d) => 'value' in d && d.enumerable === true);
}

/** The path of the first value nested deeper than `max` levels, iteratively (no recursion on hostile input). */
function depthOver(root: unknown, max: number): string | undefined {
  const stack: [unknown, number, string][] = [[root, 0, '']];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return path || '(root)';
    for (const [k, child] of Object.entries(v)) stack.push([child, depth + 1, path ? `${path}.${k}` : k]);
  }
  return undefined;
}
