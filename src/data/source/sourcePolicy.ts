// Where a data source may come from: the one policy the CLI (`sealed run`), the KFP executor
// (`sealed-executor`) and the dashboard (which starts runs as `sealed run` child processes) apply
// to `data_url`. It reaches the load-data component through the runtime (the component context's
// `runtime.dataPolicy`), never through pipeline parameters, which are user input.
//
//   localPaths            'any': any local path or file:// URL (the CLI: the user reads their own files);
//                         'roots': only regular files whose real path (symlinks resolved) is under one of
//                         `dataRoots`; with no roots, no local file at all.
//   dataRoots             absolute folders; only meaningful with localPaths 'roots'.
//   allowPrivateNetworks  false: http(s) fetches refuse every loopback, private, link-local (cloud metadata),
//                         CGNAT, ULA, multicast and reserved address, for every resolved address and every
//                         redirect hop (see networkPolicy.ts).
//
// The contract between processes is the environment variable SEALED_DATA_POLICY, a JSON object of this
// shape, e.g. {"localPaths":"roots","dataRoots":["/srv/data"],"allowPrivateNetworks":false}. Unknown keys
// are refused (a misspelt "allowPrivateNetwork" must not silently mean false). When it is absent:
//   sealed run         localPaths 'any', no private networks (--allow-private-networks), --data-root DIR
//                      (repeatable) switches to 'roots';
//   sealed-executor    localPaths 'roots' with no roots (a pod must not read its own service-account token
//                      through data_url) and no private networks;
//   library callers    (executeComponent / runPipeline without a runtime) the same as `sealed run`.
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { lazily, zod } from '../../core/lazyZod.ts';
import { printable } from '../../core/terminalText.ts';

export interface SourcePolicy {
  localPaths: 'any' | 'roots';
  dataRoots: readonly string[];
  allowPrivateNetworks: boolean;
}

export const DATA_POLICY_ENV = 'SEALED_DATA_POLICY';

/** `sealed run` (and library callers) without SEALED_DATA_POLICY: local paths, public networks only. */
export const CLI_SOURCE_POLICY: SourcePolicy = Object.freeze({ localPaths: 'any', dataRoots: Object.freeze([]), allowPrivateNetworks: false });

/** `sealed-executor` (a KFP pod) without SEALED_DATA_POLICY: no local file, public networks only. */
export const EXECUTOR_SOURCE_POLICY: SourcePolicy = Object.freeze({ localPaths: 'roots', dataRoots: Object.freeze([]), allowPrivateNetworks: false });

// Built on first use: a run without SEALED_DATA_POLICY never loads zod (core/lazyZod.ts).
const policySchema = lazily(() => {
  const { z } = zod();
  return z.strictObject({
    localPaths: z.enum(['any', 'roots']),
    dataRoots: z
      .array(
        z
          .string()
          .min(1)
          .max(4096)
          .refine((p) => isAbsolute(p), 'must be an absolute path'),
      )
      .max(64)
      .default([]),
    allowPrivateNetworks: z.boolean().default(false),
  });
});

/** The policy a SEALED_DATA_POLICY value states; a malformed value is a one-line UsageError. */
export function parseSourcePolicy(text: string, origin = DATA_POLICY_ENV): SourcePolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError('source.badPolicy', { origin, reason: 'not valid JSON (expected {"localPaths": "any"|"roots", "dataRoots": [...], "allowPrivateNetworks": false})' });
  }
  const parsed = policySchema().safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'value';
    throw new UsageError('source.badPolicy', { origin, reason: `${where}: ${printable(issue.message).slice(0, 160)}` });
  }
  const { localPaths, dataRoots, allowPrivateNetworks } = parsed.data;
  if (localPaths === 'any' && dataRoots.length > 0) {
    throw new UsageError('source.badPolicy', { origin, reason: 'dataRoots are given but localPaths is "any" (use "roots" to confine local paths to them)' });
  }
  return makeSourcePolicy({ localPaths, dataRoots, allowPrivateNetworks });
}

/** The SEALED_DATA_POLICY value for a policy (what a parent process puts in a child's environment). */
export function serializeSourcePolicy(policy: SourcePolicy): string {
  return JSON.stringify({ localPaths: policy.localPaths, dataRoots: [...policy.dataRoots], allowPrivateNetworks: policy.allowPrivateNetworks });
}

/** The policy from SEALED_DATA_POLICY in `env`, or `fallback` when it is absent or empty. */
export function sourcePolicyFromEnv(env: Readonly<Record<string, string | undefined>>, fallback: SourcePolicy): SourcePolicy {
  const text = env[DATA_POLICY_ENV];
  if (text === undefined || text.trim() === '') return fallback;
  return parseSourcePolicy(text);
}

/** A frozen policy with roots made absolute (relative ones against `cwd`). */
export function makeSourcePolicy(policy: SourcePolicy, cwd = process.cwd()): SourcePolicy {
  return Object.freeze({
    localPaths: policy.localPaths,
    dataRoots: Object.freeze(policy.dataRoots.map((r) => resolve(cwd, r))),
    allowPrivateNetworks: policy.allowPrivateNetworks,
  });
}

/**
 * The policy of `sealed run`: SEALED_DATA_POLICY when set (then the flags may not widen it, so a parent
 * such as the dashboard keeps control), else the CLI default, with --data-root / --allow-private-networks.
 */
export function cliSourcePolicy(env: Readonly<Record<string, string | undefined>>, flags: { dataRoots?: readonly string[]; allowPrivateNetworks?: boolean }, cwd: string): SourcePolicy {
  const roots = flags.dataRoots ?? [];
  const fromEnv = env[DATA_POLICY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    if (roots.length > 0 || flags.allowPrivateNetworks) {
      throw new UsageError('cli.usage', { reason: `${DATA_POLICY_ENV} is set: --data-root and --allow-private-networks cannot be combined with it` });
    }
    return parseSourcePolicy(fromEnv);
  }
  return makeSourcePolicy(
    {
      localPaths: roots.length > 0 ? 'roots' : 'any',
      dataRoots: roots,
      allowPrivateNetworks: flags.allowPrivateNetworks === true,
    },
    cwd,
  );
}
