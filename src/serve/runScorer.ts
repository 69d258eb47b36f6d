// The scorer of a finished run's folder (`sealed serve --run-dir DIR [--keys KEYS]`): train-model's
// model and preprocess-features' preprocessor.
//
// A sealed run (run.json `sealed: true`, or a seal record on either artifact) is read through the
// pipeline's one reader (storedArtifactSource + SealingCodec for the run's recorded id): the
// envelope's context must match the seal record in run.json, every segment must authenticate and
// both digests must match, so a model swapped in from another run or task, or altered, is refused
// with one line naming it. The plaintext stays in memory (the scoring thread gets the bytes, not a
// path). Without --keys a sealed run is refused with the hint to pass them; with --keys a run
// that is not sealed is refused too, so a plain model planted in a sealed deployment cannot pass.
// A plain run is read as before: the two files at their fixed places in the folder.
import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DataError, excerpt, IoError, readAllBytes, UsageError } from '../core/index.ts';
import { LocalArtifactStore, MANIFEST_KEY, runManifestSchema, storedArtifactSource, type OutputRecord, type StoredManifest, type StoredOutput } from '../pipeline/index.ts';
import { isSealed, readSignedRunManifest, SEAL_RECORD_KEY, SealingCodec, sealRecordOf, type KeyProvider, type Verifier } from '../seal/index.ts';
import { LoanScorer, runDirFiles } from './loanScorer.ts';

/** Where the loan-default pipeline leaves what the scorer needs. */
const MODEL = { task: 'train-model', output: 'model' } as const;
const PREPROCESSOR = { task: 'preprocess-features', output: 'preprocessor' } as const;
const MANIFEST_LIMIT = 16 * 1024 * 1024;
/** Largest model or preprocessor read into memory (a 1M-row run's model is tens of MiB). */
const ARTIFACT_LIMIT = 1024 ** 3;

export interface RunScorerOptions {
  /** The key folder's provider (`--keys`); required for a sealed run, refused for a plain one. */
  keys?: KeyProvider;
  /** How messages name the run folder (as the user typed it). */
  shown?: string;
  /**
   * The key folder's signing key: a sealed run's run.json must then be the one its run.sig.json
   * signed (readSignedRunManifest), so seal records cannot have been edited or rolled back.
   */
  verifier?: Verifier;
}

export async function loadRunScorer(runDir: string, options: RunScorerOptions = {}): Promise<LoanScorer> {
  const shown = options.shown ?? runDir;
  const found = await readManifest(runDir, shown);
  const sealed = found !== undefined && isSealedManifest(found);
  if (!sealed) {
    if (options.keys) throw new UsageError('serve.runNotSealed', { runDir: shown });
    const files = runDirFiles(runDir);
    const [model, preprocessor] = await Promise.all([readFile(files.model), readFile(files.preprocessor)]);
    // A run folder whose run.json is gone but whose files are sealed: say so, not a parse error.
    if (isSealed(model) || isSealed(preprocessor)) throw new UsageError('serve.sealedRunNoKeys', { runDir: shown });
    return LoanScorer.fromBytes({ model: new Uint8Array(model), preprocessor, names: files });
  }
  if (!options.keys) throw new UsageError('serve.sealedRunNoKeys', { runDir: shown });
  const manifest = options.verifier ? parseManifest(await readSignedRunManifest(new LocalArtifactStore(runDir), options.verifier, shown), shown) : found;
  const codec = new SealingCodec(options.keys, { runId: manifest.id });
  const read = async (at: { task: string; output: string }): Promise<{ bytes: Buffer; name: string }> => {
    const task = Object.hasOwn(manifest.tasks, at.task) ? manifest.tasks[at.task] : undefined;
    const record = task?.outputs && Object.hasOwn(task.outputs, at.output) ? task.outputs[at.output] : undefined;
    if (!record) throw new UsageError('serve.noRunArtifact', { runDir: shown, artifact: `${at.task}/${at.output}` });
    const path = inside(runDir, record.path, shown);
    const name = join(shown, record.path);
    const metadata = await metadataOf(runDir, record, shown);
    // The codec checks the record against the run and the envelope; that it is this task's output is checked here
    // (run.json pointing train-model's model at another artifact of the run would pass otherwise).
    const seal = sealRecordOf(metadata, name);
    if (seal) {
      for (const [field, expected] of [['task', at.task], ['artifact', at.output]] as const) {
        if (seal[field] !== expected) throw new DataError('seal.contextMismatch', { artifact: name, field, expected, found: seal[field] });
      }
    }
    const source = storedArtifactSource({ type: record.type as OutputRecord['type'], metadata: metadata as OutputRecord['metadata'] }, codec, { path, label: name });
    return { bytes: await readAllBytes(source, ARTIFACT_LIMIT), name };
  };
  const [model, preprocessor] = await Promise.all([read(MODEL), read(PREPROCESSOR)]);
  return LoanScorer.fromBytes({ model: new Uint8Array(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength), preprocessor: preprocessor.bytes, names: { model: model.name, preprocessor: preprocessor.name } });
}

/** run.json `sealed: true`, or a seal record on any output. */
function isSealedManifest(manifest: StoredManifest): boolean {
  if (manifest.sealed === true) return true;
  return Object.values(manifest.tasks).some((t) => Object.values(t.outputs ?? {}).some((o) => o.metadata !== undefined && Object.hasOwn(o.metadata, SEAL_RECORD_KEY)));
}

/** The folder's run.json, checked; undefined when there is none (a folder of files made by hand). */
async function readManifest(runDir: string, shown: string): Promise<StoredManifest | undefined> {
  const path = join(runDir, MANIFEST_KEY);
  const st = await lstat(path).catch(() => undefined);
  if (!st) {
    if (!(await lstat(runDir).catch(() => undefined))?.isDirectory()) throw new IoError('io.notFound', { path: shown });
    return undefined;
  }
  const bad = (reason: string): UsageError => new UsageError('serve.badRunDir', { runDir: shown, reason });
  if (!st.isFile()) throw bad('its run.json is not a regular file');
  if (st.size > MANIFEST_LIMIT) throw bad(`its run.json is larger than ${MANIFEST_LIMIT} bytes`);
  return parseManifest(await readFile(path), shown);
}

function parseManifest(bytes: Buffer, shown: string): StoredManifest {
  const bad = (reason: string): UsageError => new UsageError('serve.badRunDir', { runDir: shown, reason });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw bad(`its run.json is not JSON (${excerpt((e as Error).message)})`);
  }
  const parsed = runManifestSchema.safeParse(json);
  if (!parsed.success) throw bad(`its run.json is not a run record (${excerpt(parsed.error.issues[0]?.path.join('.') || '/')})`);
  return parsed.data;
}

/** A path from run.json, which must stay inside the run folder. */
function inside(runDir: string, file: string, shown: string): string {
  const path = resolve(runDir, file);
  const rel = relative(runDir, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new DataError('seal.recordInvalid', { artifact: join(shown, excerpt(file)), reason: 'its path leads outside the run folder' });
  return path;
}

/** The output's metadata (with its seal record): inline, or in the side file run.json names for large metadata. */
async function metadataOf(runDir: string, record: StoredOutput, shown: string): Promise<Record<string, unknown>> {
  if (record.metadataPath === undefined) return record.metadata ?? {};
  const path = inside(runDir, record.metadataPath, shown);
  const text = (await readAllBytes(path, MANIFEST_LIMIT)).toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError('serve.badRunDir', { runDir: shown, reason: `${excerpt(record.metadataPath)} is not a JSON object` });
}
