// The KFP v2 ExecutorInput (what `{{$}}` expands to) and ExecutorOutput (what a component
// writes to outputs.outputFile), kfp-contract §3. Parsing is lenient about extra fields,
// since the KFP launcher may add some, and strict about the ones we read. What the real
// driver sends (kubeflow/pipelines backend/src/v2/driver/driver.go@2.0.5..HEAD provisionOutputs,
// metadata/client.go ToRuntimeArtifact): input artifacts typed {"instanceSchema": ""} with the MLMD id
// as `name`; output artifacts typed by schemaTitle, without `name` before HEAD; possibly an
// empty artifact list. Hostile input is refused in one line: text over MAX_INPUT_BYTES, nesting
// deeper than MAX_DEPTH, control characters, `..` segments or unsupported schemes in URIs and
// output files (checked in executeComponent).
import { z } from 'zod';
import { UsageError } from '../../core/index.ts';
import type { JsonValue, ParameterValue } from '../ir/index.ts';

export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
export const MAX_DEPTH = 64;

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

export type ExecutorInput = z.infer<typeof executorInputSchema>;
export type RuntimeArtifact = z.infer<typeof runtimeArtifact>;

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
  const result = executorInputSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new UsageError('pipeline.badExecutorInput', { component, reason: issue.message }, field ? { location: { field } } : undefined);
  }
  return result.data;
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
