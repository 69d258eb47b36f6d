// Run input artifacts (root.inputDefinitions.artifacts), done locally the way a KFP importer
// would: each given file or folder is checked before anything runs, then copied into the run
// directory as `inputs/<name><extension>` and recorded with its sha256, so a run keeps every
// byte it read. An optional input that is not given is simply absent; tasks see undefined.
import { promises as fsp } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileSource, IoError, UsageError } from '../../core/index.ts';
import { plainCodec, type ArtifactCodec } from '../executor/index.ts';
import type { JsonValue, PipelineSpec } from '../ir/index.ts';
import type { ArtifactStore } from '../store/index.ts';
import type { InputRecord } from './manifest.ts';

/** Checks names, required inputs and that each path exists; returns absolute paths by input name. */
export async function resolveRunArtifacts(spec: PipelineSpec, given: Readonly<Record<string, string | undefined>>): Promise<Record<string, string>> {
  const owner = `pipeline '${spec.pipelineInfo.name}'`;
  const defs = spec.root.inputDefinitions?.artifacts ?? {};
  for (const [key, path] of Object.entries(given)) {
    if (path !== undefined && !Object.hasOwn(defs, key)) throw new UsageError('pipeline.inputUnknown', { owner, input: key, known: Object.keys(defs) });
  }
  const out: Record<string, string> = {};
  for (const [key, def] of Object.entries(defs)) {
    const path = given[key];
    if (path === undefined) {
      if (!def.isOptional) throw new UsageError('pipeline.inputMissing', { owner, input: key });
      continue;
    }
    const absolute = resolve(path);
    const s = await fsp.stat(absolute).catch(() => undefined);
    if (!s) throw new IoError('io.notFound', { path });
    if (!s.isFile() && !s.isDirectory()) throw new IoError('io.notAFile', { path });
    out[key] = absolute;
  }
  return out;
}

/**
 * Copies each resolved input into the store under `inputs/`; returns the records for run.json.
 * In a sealed run each input is sealed on the way in (bound to this run, task 'inputs' and its
 * name), so the run folder holds no plaintext even of what the user gave it; folders are refused there.
 */
export async function importRunArtifacts(
  spec: PipelineSpec,
  paths: Readonly<Record<string, string>>,
  store: ArtifactStore,
  options: { codec?: ArtifactCodec; runId?: string } = {},
): Promise<Record<string, InputRecord>> {
  const defs = spec.root.inputDefinitions?.artifacts ?? {};
  const codec = options.codec ?? plainCodec;
  const records: Record<string, InputRecord> = {};
  for (const [key, source] of Object.entries(paths)) {
    const staging = await store.createStaging('inputs');
    try {
      const copy = `${staging}/${basename(source)}`;
      const type = defs[key].artifactType.schemaTitle;
      let metadata: Record<string, JsonValue> = {};
      if (codec.sealed) {
        if (!(await fsp.stat(source)).isFile()) throw new UsageError('pipeline.sealedFolderInput', { input: key, path: source });
        metadata = await codec.write({ path: copy, label: source, identity: { runId: options.runId ?? '', task: 'inputs', artifact: key, type } }, fileSource(source).open());
      } else {
        await fsp.cp(source, copy, { recursive: true, dereference: true }).catch((e: Error) => {
          throw new IoError('io.readFailed', { path: source, reason: e.message }, { cause: e });
        });
      }
      const stored = await store.put(`inputs/${key}${extname(source)}`, { file: copy });
      records[key] = { path: stored.key, sha256: stored.sha256, size: stored.size, type, source, ...(Object.keys(metadata).length > 0 ? { metadata } : {}) };
    } finally {
      await store.discardStaging(staging);
    }
  }
  return records;
}
