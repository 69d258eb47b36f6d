// The one schema of run.json, for every reader (`sealed run --resume`, the dashboard): the
// RunManifest that manifest.ts describes and runPipeline writes, checked with zod. Value domains
// are read leniently where a newer writer may add values (artifact types are any string,
// metadata any JSON), but the set of fields is tied to the TypeScript types below, so a field
// added to RunManifest without being added here fails the typecheck instead of being dropped by
// the readers.
import type { z } from 'zod';
import { lazily, zod } from '../../core/lazyZod.ts';
import type { InputRecord, OutputRecord, ResumeRecord, RunManifest, RunOwner, TaskRecord } from './manifest.ts';

// Built on first use (core/lazyZod.ts): a run that reads no run.json (no --resume) never loads zod.
function buildSchemas() {
  const { z } = zod();
  const parameterValue = z.union([z.string(), z.number(), z.boolean()]);
  const parameters = z.record(z.string(), parameterValue);
  const timestamp = z.string();

  const outputRecordSchema = z.object({
    path: z.string(),
    sha256: z.string(),
    size: z.number(),
    type: z.string(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    metadataPath: z.string().optional(),
  });

  const inputRecordSchema = outputRecordSchema.extend({ source: z.string() });

  const taskRecordSchema = z.object({
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

  const runOwnerSchema = z.object({
    pid: z.number().int(),
    host: z.string(),
    startTicks: z.number().int().optional(),
    bootId: z.string().optional(),
    pidNamespace: z.string().optional(),
    heartbeatAt: timestamp,
  });

  const resumeRecordSchema = z.object({ at: timestamp, rerun: z.array(z.string()) });

  const runManifestSchema = z.object({
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
  return { outputRecordSchema, inputRecordSchema, taskRecordSchema, runOwnerSchema, resumeRecordSchema, runManifestSchema };
}
const schemas = lazily(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

/** run.json's schema: `parse` throws on a mismatch, `safeParse` reports it (zod's API, the schema built on first use). */
export const runManifestSchema = {
  parse: (value: unknown): StoredManifest => schemas().runManifestSchema.parse(value),
  safeParse: (value: unknown): ReturnType<Schemas['runManifestSchema']['safeParse']> => schemas().runManifestSchema.safeParse(value),
};

/** The `owner` record's schema (a run's owner file). */
export const runOwnerSchema = {
  safeParse: (value: unknown): ReturnType<Schemas['runOwnerSchema']['safeParse']> => schemas().runOwnerSchema.safeParse(value),
};

/** run.json as a reader sees it. */
export type StoredManifest = z.infer<Schemas['runManifestSchema']>;
export type StoredTask = z.infer<Schemas['taskRecordSchema']>;
export type StoredOutput = z.infer<Schemas['outputRecordSchema']>;

// --- The schema and the writer's types must not drift (checked by `npm run typecheck`) ---------
// Same field names, level by level, and everything the writer writes is accepted by the schema.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { onlyInWriter: Exclude<keyof A, keyof B>; onlyInSchema: Exclude<keyof B, keyof A> };
type Check<T extends true> = T;
export type ManifestSchemaInSync = [
  Check<SameKeys<RunManifest, StoredManifest>>,
  Check<SameKeys<TaskRecord, StoredTask>>,
  Check<SameKeys<OutputRecord, StoredOutput>>,
  Check<SameKeys<InputRecord, z.infer<Schemas['inputRecordSchema']>>>,
  Check<SameKeys<RunOwner, z.infer<Schemas['runOwnerSchema']>>>,
  Check<SameKeys<ResumeRecord, z.infer<Schemas['resumeRecordSchema']>>>,
  Check<RunManifest extends z.input<Schemas['runManifestSchema']> ? true : false>,
];
