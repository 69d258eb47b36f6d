// The KFP v2 ExecutorInput (what `{{$}}` expands to) and ExecutorOutput (what a component
// writes to outputs.outputFile), kfp-contract §3. Parsing is lenient about extra fields,
// since the KFP launcher may add some, and strict about the ones we read.
import { z } from 'zod';
import { UsageError } from '../../core/index.ts';
import type { JsonValue, ParameterValue } from '../ir/index.ts';

const runtimeArtifact = z.looseObject({
  name: z.string().optional(),
  type: z.looseObject({ schemaTitle: z.string(), schemaVersion: z.string().optional() }).optional(),
  uri: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const artifactList = z.looseObject({ artifacts: z.array(runtimeArtifact).min(1) });

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
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new UsageError('pipeline.badExecutorInput', { component, reason: `not JSON (${(e as Error).message})` });
    }
  }
  const result = executorInputSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join('.');
    throw new UsageError('pipeline.badExecutorInput', { component, reason: issue.message }, field ? { location: { field } } : undefined);
  }
  return result.data;
}
