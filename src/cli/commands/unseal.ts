// `sealed unseal FILE --keys DIR --out PLAIN`: the plaintext of one sealed artifact, for a user who
// needs it outside the pipeline. When FILE sits in a run folder (run.json one or two folders up
// lists it) the run's seal record is checked too: identity, both digests and sizes, exactly as a
// pipeline step reading it would. Otherwise only the envelope is checked and its context printed.
// The output is written 0600 under a temporary name and renamed when complete: a tampered
// artifact leaves no file behind. An existing PLAIN is never overwritten.
import { link, lstat, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileSink, IoError, printable, tempPathFor, UsageError } from '../../core/index.ts';
import { LocalArtifactStore, MANIFEST_KEY, runManifestSchema, storedArtifactSource, type StoredManifest, type StoredOutput } from '../../pipeline/index.ts';
import { LocalKeyProvider, readSignedRunManifest, SealingCodec, unsealFile } from '../../seal/index.ts';
import type { CliIo } from '../io.ts';

export interface UnsealOptions {
  keys: string;
  out: string;
}

export async function unsealCommand(file: string, options: UnsealOptions, io: CliIo): Promise<number> {
  const input = resolve(io.cwd, file);
  const out = resolve(io.cwd, options.out);
  if (await lstat(out).catch(() => undefined)) throw new UsageError('cli.usage', { reason: `--out ${printable(options.out)} exists: choose a new file (unseal never overwrites)` });
  const st = await lstat(input).catch(() => undefined);
  if (!st) throw new IoError('io.notFound', { path: file });
  if (!st.isFile()) throw new IoError('io.notAFile', { path: file });
  const keys = await LocalKeyProvider.open(resolve(io.cwd, options.keys));
  const inRun = await findRunRecord(input, keys);
  if (inRun) {
    const codec = new SealingCodec(keys, { runId: inRun.manifest.id });
    const source = storedArtifactSource(inRun.record, codec, { path: input, label: file, producer: inRun.producer });
    await writeNewFile(out, options.out, (tmp) => fileSink(tmp, { mode: 0o600 }).write(source.open()));
    io.stderr.write(`unsealed ${printable(inRun.key)} of run ${printable(inRun.manifest.id)} (identity and sha256 checked against the signed run.json) to ${printable(options.out)}\n`);
    return 0;
  }
  let context = '';
  await writeNewFile(out, options.out, (tmp) => unsealFile(input, tmp, { keyProvider: keys, label: file, onHeader: (h) => (context = `run ${h.context.runId}, task ${h.context.task}, artifact ${h.context.artifact} (${h.context.type})`) }));
  io.stderr.write(`unsealed ${printable(file)} (${printable(context)}) to ${printable(options.out)}; no run.json lists it, so only the envelope was checked\n`);
  return 0;
}

/**
 * Writes through a private temporary name, then hard-links it to `out`, which fails if `out` has
 * appeared in the meantime (a rename would silently replace it): unseal never overwrites.
 */
async function writeNewFile(out: string, shown: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempPathFor(out);
  try {
    await write(tmp);
    await link(tmp, out).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') throw new UsageError('cli.usage', { reason: `--out ${printable(shown)} exists: choose a new file (unseal never overwrites)` });
      throw new IoError('io.writeFailed', { path: shown, reason: e.message }, { cause: e });
    });
  } finally {
    await rm(tmp, { force: true });
  }
}

interface RunRecord {
  manifest: StoredManifest;
  key: string;
  record: StoredOutput;
  /** Where run.json lists it: the task and output (or 'inputs' and the input's name) its seal record must name. */
  producer: { task: string; artifact: string };
}

/**
 * The run.json (one or two folders up) whose tasks or inputs list `path`, with that record; run.json
 * must be the one the run's signature (run.sig.json, the key folder's signing key) vouches for.
 */
async function findRunRecord(path: string, keys: LocalKeyProvider): Promise<RunRecord | undefined> {
  for (let dir = dirname(path), depth = 0; depth < 2; dir = dirname(dir), depth++) {
    if (!(await lstat(join(dir, MANIFEST_KEY)).catch(() => undefined))) continue;
    const bytes = await readSignedRunManifest(new LocalArtifactStore(dir), keys.verifier(), dir);
    const parsed = runManifestSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) throw new UsageError('cli.usage', { reason: `${printable(join(dir, MANIFEST_KEY))} is not a run record` });
    const manifest = parsed.data;
    const key = relative(dir, path).split(sep).join('/');
    const listed: [string, string, StoredOutput][] = [
      ...Object.entries(manifest.inputs ?? {}).map(([name, r]): [string, string, StoredOutput] => ['inputs', name, r]),
      ...Object.entries(manifest.tasks).flatMap(([task, t]) => Object.entries(t.outputs ?? {}).map(([name, r]): [string, string, StoredOutput] => [task, name, r])),
    ];
    const hit = listed.find(([, , r]) => r.path === key);
    return hit ? { manifest, key, record: hit[2], producer: { task: hit[0], artifact: hit[1] } } : undefined;
  }
  return undefined;
}
