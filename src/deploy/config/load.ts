// Reading and checking a deploy configuration: a file (YAML or JSON, size-limited, regular files
// only) or an already-parsed value (the Pulumi program's structured stack config). Every problem is
// one UsageError naming the file and the field; warnings (not errors) come back beside the config.
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { IoError, UsageError } from '../../core/errors.ts';
import { excerpt } from '../../core/excerpt.ts';
import { nearestName } from '../../core/nearestName.ts';
import { openRegularFile } from '../../core/fs/byteIo.ts';
import { deployConfigSchema, type DeployConfig } from './schema.ts';
import { CLOSING_FAMILIES, confidentialFamilyOf } from './vmSizes.ts';

/** A deploy configuration is a few hundred bytes; 64 KiB leaves room for comments and refuses a mistaken data file. */
export const MAX_CONFIG_BYTES = 64 * 1024;

export interface DeployWarning {
  field: string;
  message: string;
}

export interface LoadedDeployConfig {
  config: DeployConfig;
  warnings: DeployWarning[];
  /** Where it came from, for messages ("sealed-deploy.yaml", "Pulumi config sealed:config"). */
  source: string;
}

/** Reads, parses and checks a deploy configuration file. */
export async function loadDeployConfig(path: string): Promise<LoadedDeployConfig> {
  const text = await readLimited(path);
  let raw: unknown;
  try {
    // One parser for .yaml and .json alike (JSON is YAML 1.2): duplicate keys are errors in both,
    // and its errors quote no content (JSON.parse's do: a mistaken --config /etc/shadow would show
    // the file's first characters). No aliases: a small config never needs them, and they are how
    // a "billion laughs" document grows in memory.
    raw = parseYaml(text, { maxAliasCount: 0, prettyErrors: false });
  } catch (e) {
    throw new UsageError('deploy.config.badSyntax', { file: path, reason: syntaxReason(e, text) }, { cause: e });
  }
  return parseDeployConfig(raw, path);
}

/** Checks an already-parsed configuration; `source` names it in errors. */
export function parseDeployConfig(raw: unknown, source: string): LoadedDeployConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError('deploy.config.invalid', { file: source, field: '(top level)', reason: 'must be a mapping of fields (location, resourceGroup, clusterName, ...)' });
  }
  const r = deployConfigSchema.safeParse(raw);
  if (!r.success) throw configError(source, raw, r.error);
  return { config: r.data, warnings: deployConfigWarnings(r.data), source };
}

/** What is allowed but worth saying before anything is created. */
export function deployConfigWarnings(config: DeployConfig): DeployWarning[] {
  const warnings: DeployWarning[] = [];
  const pool = config.confidentialPool;
  const family = confidentialFamilyOf(pool.vmSize);
  if (family && CLOSING_FAMILIES.has(family.family)) {
    warnings.push({
      field: 'confidentialPool.vmSize',
      message: `${pool.vmSize} (${family.family}) takes no new subscriptions from 1 Nov 2026 and retires 31 Oct 2029; a subscription without DCsv3 quota needs tee: sev-snp (DCasv6) or tee: tdx (DCesv6)`,
    });
  }
  if (pool.tee !== 'sgx') {
    warnings.push({
      field: 'confidentialPool.tee',
      message: `${pool.tee} nodes have no SGX enclaves: the loan-default pipeline's pods select intelvm=sgx and ask for sgx.intel.com/epc, so run it with a node selector for this pool's labels and without epc`,
    });
  }
  return warnings;
}

async function readLimited(path: string): Promise<string> {
  // openRegularFile refuses FIFOs, devices and directories without blocking on them.
  const fh = await openRegularFile(path);
  try {
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let total = 0;
    while (total < buf.length) {
      const { bytesRead } = await fh.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > MAX_CONFIG_BYTES) throw new IoError('io.tooLarge', { path, limit: MAX_CONFIG_BYTES });
    if (total === 0) throw new IoError('io.empty', { path });
    const text = buf.subarray(0, total).toString('utf8');
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (e) {
    if (e instanceof IoError) throw e;
    throw new IoError('io.readFailed', { path, reason: (e as Error).message }, { cause: e });
  } finally {
    await fh.close();
  }
}

/** The parser's complaint and where, without any of the file's text (quoted tokens dropped). */
function syntaxReason(e: unknown, text: string): string {
  const err = e as { message?: unknown; pos?: unknown };
  const what = (typeof err.message === 'string' ? err.message : 'syntax error').split('\n', 1)[0].replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…');
  let where = '';
  if (Array.isArray(err.pos) && typeof err.pos[0] === 'number') {
    const before = text.slice(0, err.pos[0]);
    const line = before.split('\n').length;
    where = ` at line ${line}, column ${err.pos[0] - before.lastIndexOf('\n')}`;
  }
  return excerpt(`${what}${where}`, 200);
}

/** The first zod issue as one line: the field's dotted path and what is wrong with it. */
function configError(source: string, raw: unknown, error: z.ZodError): UsageError<'deploy.config.invalid'> {
  const issue = error.issues[0];
  const path = issue.path.map(String);
  // Path elements may be the file's own keys (a label or tag name): quoted like any input.
  const shown = path.map((p) => excerpt(p, 64));
  let field = shown.join('.') || '(top level)';
  let reason: string;
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(shapeAt(path));
    const key = issue.keys[0];
    const near = nearestKey(key, known);
    field = [...shown, excerpt(key, 64)].join('.');
    reason = `unknown field${near ? `; did you mean '${near}'?` : ''}`;
  } else if (issue.code === 'invalid_key') {
    // zod's path ends with the offending key; name the mapping and quote the key.
    field = shown.slice(0, -1).join('.') || '(top level)';
    reason = `key '${excerpt(String(path.at(-1)), 64)}' ${issue.issues[0]?.message ?? 'is invalid'}`;
  } else if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
    reason = 'is required';
  } else if (issue.code === 'invalid_type') {
    reason = `must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}`;
  } else if (issue.code === 'too_small' || issue.code === 'too_big') {
    reason = `must be ${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}`;
    if (issue.origin !== 'number' && issue.origin !== 'int') reason = issue.message;
  } else {
    reason = issue.message;
  }
  return new UsageError('deploy.config.invalid', { file: source, field, reason });
}

const EXPECTED: Record<string, string> = { int: 'a whole number', record: 'a mapping', object: 'a mapping', array: 'a list' };

function valueAt(raw: unknown, path: readonly string[]): unknown {
  let v: unknown = raw;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

// The field names a mapping at `path` accepts, for "did you mean" (the schema's own shape).
const SHAPES: Record<string, readonly string[]> = {
  '': Object.keys(deployConfigSchema.shape),
  systemPool: ['vmSize', 'count'],
  confidentialPool: ['name', 'vmSize', 'count', 'tee', 'labels'],
  acr: ['name', 'sku'],
  keyVault: ['name'],
  attestation: ['name'],
};
function shapeAt(path: readonly string[]): Record<string, true> {
  return Object.fromEntries((SHAPES[path.join('.')] ?? []).map((k) => [k, true]));
}

function nearestKey(key: string, known: readonly string[]): string | undefined {
  // A long key is no typo of ours; skip the edit-distance work on it.
  return key.length <= 64 ? nearestName(key, known) : undefined;
}
