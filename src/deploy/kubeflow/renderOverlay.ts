// `renderOverlay`: the Kubeflow overlay for a user's kubeflow/manifests checkout. Order matters:
// every input is validated, the checkout's layout detected and OUT checked before kustomize
// runs; the base is rendered once to learn what to patch; the overlay is written to a
// temporary folder, rendered again and checked (default login gone, our hash in the Secret)
// before it replaces OUT. A failure at any point leaves OUT as it was.
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { kubectlKustomize, parseRender, findObject, objectKey, type Kustomize, type KubeObject } from './kustomize.ts';
import { detectLayout, type KubeflowLayout } from './layout.ts';
import { checkOut, writeOverlayDir, MARKER } from './outDir.ts';
import { loginSecretsFor } from './loginSecrets.ts';
import { DEFAULT_HASH, DEFAULT_USER, DEX_HASH_ENV, DEX_SECRET, planOverlay } from './overlayFiles.ts';
import { validateBcryptHash, validateDomain, validateEmail, validateIp, validateIssuer } from './validate.ts';

export const DEFAULT_ISSUER = 'kubeflow-self-signing-issuer';

export interface RenderOptions {
  /** The user's kubeflow/manifests checkout. */
  manifests: string;
  /** Folder to write the overlay to (new, empty, or an overlay written before). */
  out: string;
  /** Kustomization the overlay builds on; default `<manifests>/example`. */
  base?: string;
  /** Dex login e-mail; also the owner of the default Profile. */
  dexUser: string;
  /** bcrypt `$2y$` hash, cost >= 12 (D2's hash-password module computes it). */
  passwordHash: string;
  /** Exactly one of ip / domain: what the gateway certificate is for. */
  ip?: string;
  domain?: string;
  /** ClusterIssuer name; default kubeflow-self-signing-issuer. */
  issuer?: string;
  /** How kustomize is run; default `kubectl kustomize`. */
  kustomize?: Kustomize;
}

export interface RenderResult {
  /** Real absolute path of the written overlay. */
  out: string;
  layout: KubeflowLayout;
  /** Written files (relative paths) and their modes. */
  files: Array<{ path: string; mode: number }>;
  /** group/kind/namespace/name of base objects the overlay changes, and of objects it adds. */
  changed: string[];
  added: string[];
  /** True when the base's default Profile now belongs to dexUser. */
  profileMoved: boolean;
  warnings: string[];
}

/** Checks the base folder and returns its kustomization file's path. */
function checkBase(base: string): string {
  let isDir = false;
  try {
    isDir = statSync(base).isDirectory(); // a linked base is fine: kustomize follows it too
  } catch {
    throw new UsageError('deploy.overlay.badBase', { path: base, reason: 'does not exist (give --base, or a checkout with example/)' });
  }
  if (!isDir) throw new UsageError('deploy.overlay.badBase', { path: base, reason: 'is not a folder' });
  for (const n of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const file = join(base, n);
    try {
      if (lstatSync(file).isFile()) return file;
    } catch {
      // try the next name kustomize accepts
    }
  }
  throw new UsageError('deploy.overlay.badBase', { path: base, reason: 'has no kustomization.yaml' });
}

/**
 * The base's `sortOptions`: kustomize honours only the top kustomization's, so without a copy the
 * overlay would apply Kubeflow in a different order than its example (which sets `order: legacy`
 * with its own orderFirst list since 1.9). A file kustomize could read but we cannot parse has none.
 */
function sortOptionsOf(file: string): unknown {
  try {
    const k = parse(readFileSync(file, 'utf8')) as { sortOptions?: unknown } | null;
    return k && typeof k === 'object' && k.sortOptions && typeof k.sortOptions === 'object' ? k.sortOptions : undefined;
  } catch {
    return undefined;
  }
}

/** Keys of the login secrets the releases publish (Dex's client, oauth2-proxy, 1.8's oidc-authservice). */
const LOGIN_SECRET_KEYS = ['OIDC_CLIENT_SECRET', 'client-secret', 'cookie-secret', 'CLIENT_SECRET'];

/** The base's login secret values (decoded): none of them may survive the overlay's render. */
export function publishedSecrets(objects: readonly KubeObject[]): string[] {
  const values = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'Secret') continue;
    const data = (o.data ?? {}) as Record<string, unknown>;
    const plain = (o.stringData ?? {}) as Record<string, unknown>;
    for (const k of LOGIN_SECRET_KEYS) {
      if (typeof data[k] === 'string') values.add(Buffer.from(data[k] as string, 'base64').toString());
      if (typeof plain[k] === 'string') values.add(plain[k] as string);
    }
  }
  return [...values].filter((v) => v.length >= 8);
}

/** Where a published secret survived a render (as text or base64); empty when none did. */
export function publishedSecretsLeft(text: string, published: readonly string[]): string[] {
  const where: string[] = [];
  for (const o of parseRender(text)) {
    const s = JSON.stringify(o);
    if (published.some((v) => s.includes(v) || s.includes(Buffer.from(v).toString('base64')))) where.push(`a login secret Kubeflow publishes in ${objectKey(o)}`);
  }
  return where;
}

/** Finds where the default login survived a render; empty when it is gone. */
export function defaultLoginLeft(text: string): string[] {
  const b64 = Buffer.from(DEFAULT_HASH).toString('base64');
  const where: string[] = [];
  for (const o of parseRender(text)) {
    const s = JSON.stringify(o);
    if (s.includes(DEFAULT_USER)) where.push(`${DEFAULT_USER} in ${objectKey(o)}`);
    if (s.includes(DEFAULT_HASH) || s.includes(b64)) where.push(`the default password hash in ${objectKey(o)}`);
  }
  return where;
}

export async function renderOverlay(opts: RenderOptions): Promise<RenderResult> {
  const dexUser = validateEmail(opts.dexUser);
  const passwordHash = validateBcryptHash(opts.passwordHash);
  if ((opts.ip === undefined) === (opts.domain === undefined)) {
    throw new UsageError('deploy.overlay.ipOrDomain', { got: opts.ip === undefined ? 'neither' : 'both' });
  }
  const ip = opts.ip === undefined ? undefined : validateIp(opts.ip);
  const domain = opts.domain === undefined ? undefined : validateDomain(opts.domain);
  const issuer = validateIssuer(opts.issuer ?? DEFAULT_ISSUER);

  const layout = detectLayout(opts.manifests);
  const base = opts.base ?? join(opts.manifests, 'example');
  const baseFile = checkBase(base);
  const out = checkOut(opts.out, [
    { path: opts.manifests, what: 'the kubeflow/manifests checkout' },
    { path: base, what: 'the base' },
  ]);
  const kustomize = opts.kustomize ?? kubectlKustomize;

  const objects = parseRender(await kustomize(base));
  const baseRef = relative(out, realpathSync(base)).split(sep).join('/');
  const published = publishedSecrets(objects);
  // Re-rendering over our own overlay keeps its login secrets (sessions and the client survive).
  const secrets = loginSecretsFor(out, existsSync(join(out, MARKER)));
  const plan = planOverlay({ layout, objects, baseRef, basePath: base, dexUser, passwordHash, ip, domain, issuer, sortOptions: sortOptionsOf(baseFile), secrets });

  await writeOverlayDir(out, plan.files, async (dir) => {
    const text = await kustomize(dir);
    const left = [...defaultLoginLeft(text), ...publishedSecretsLeft(text, published)];
    if (left.length > 0) throw new UsageError('deploy.overlay.defaultLeft', { where: left.slice(0, 3).join('; ') });
    const secret = findObject(parseRender(text), '', 'Secret', DEX_SECRET, 'auth');
    const value = (secret?.data as Record<string, string> | undefined)?.[DEX_HASH_ENV];
    if (value === undefined || Buffer.from(value, 'base64').toString() !== passwordHash) {
      throw new UsageError('deploy.overlay.defaultLeft', { where: `Secret auth/${DEX_SECRET} does not hold the new hash` });
    }
  });
  return {
    out,
    layout,
    files: plan.files.map((f) => ({ path: f.path, mode: f.mode })),
    changed: plan.changed,
    added: plan.added,
    profileMoved: plan.profileMoved,
    warnings: plan.warnings,
  };
}
