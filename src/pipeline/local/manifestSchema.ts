// The one schema of run.json, for every reader (`sealed run --resume`, the dashboard): the
// RunManifest that manifest.ts describes and runPipeline writes, checked with zod. Value domains
// are read leniently where a newer writer may add values (artifact types are any string,
// metadata any JSON), but the set of fields is tied to the TypeScript types below, so a field
// added to RunManifest without being added here fails the typecheck instead of being dropped by
// the readers.
import { z } from 'zod';
import type { InputRecord, OutputRecord, ResumeRecord, RunManifest, RunOwner, TaskRecord } from './manifest.ts';

const parameterValue = z.union([z.string(), z.number(), z.boolean()]);
const parameters = z.record(z.string(), parameterValue);
const timestamp = z.string();

export const outputRecordSchema = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number(),
  type: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  metadataPath: z.string().optional(),
});

export const inputRecordSchema = outputRecordSchema.extend({ source: z.string() });

export const taskRecordSchema = z.object({
  state: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped']),
  component: z.string(),
  startedAt: timestamp.optional(),
  finishedAt: timestamp.optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  parameters: parameters.optional(),
  inputs: z.record(z.string(), z.string()).optional(),
  outputs: z.record(z.string(), outputRecordSchema).optional(),
  log: z.string().optional(),
});

export const runOwnerSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  startTicks: z.number().int().optional(),
  bootId: z.string().optional(),
  pidNamespace: z.string().optional(),
  heartbeatAt: timestamp,
});

export const resumeRecordSchema = z.object({ at: timestamp, rerun: z.array(z.string()) });

export const runManifestSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  parameters,
  redactedParameters: z.array(z.string()).optional(),
  inputs: z.record(z.string(), inputRecordSchema).optional(),
  state: z.enum(['running', 'succeeded', 'failed']),
  createdAt: timestamp,
  finishedAt: timestamp.optional(),
  error: z.string().optional(),
  tasks: z.record(z.string(), taskRecordSchema),
  owner: runOwnerSchema.optional(),
  resumes: z.array(resumeRecordSchema).optional(),
  sealed: z.boolean().optional(),
});

/** run.json as a reader sees it. */
export type StoredManifest = z.infer<typeof runManifestSchema>;
export type StoredTask = z.infer<typeof taskRecordSchema>;
export type StoredOutput = z.infer<typeof outputRecordSchema>;

// --- The schema and the writer's types must not drift (checked by `npm run typecheck`) ---------
// Same field names, level by level, and everything the writer writes is accepted by the schema.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { onlyInWriter: Exclude<keyof A, keyof B>; onlyInSchema: Exclude<keyof B, keyof A> };
type Check<T extends true> = T;
export type ManifestSchemaInSync = [
  Check<SameKeys<RunManifest, StoredManifest>>,
  Check<SameKeys<TaskRecord, StoredTask>>,
  Check<SameKeys<OutputRecord, StoredOutput>>,
  Check<SameKeys<InputRecord, z.infer<typeof inputRecordSchema>>>,
  Check<SameKeys<RunOwner, z.infer<typeof runOwnerSchema>>>,
  Check<SameKeys<ResumeRecord, z.infer<typeof resumeRecordSchema>>>,
  Check<RunManifest extends z.input<typeof runManifestSchema> ? true : false>,
];
