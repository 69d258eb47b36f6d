// Running `kubectl kustomize` (kustomize v5 is built into kubectl) and reading its output.
// The overlay is built from what the base really renders, so the patches target objects that
// exist and the Dex config is edited from the release's own text, not from a guess.
import { execFile } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../../core/errors.ts';

/** Renders a kustomization folder to multi-document YAML. Injectable so tests can count calls. */
export type Kustomize = (dir: string) => Promise<string>;

/** A rendered Kubernetes object, as plain JSON-like data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

// The full Kubeflow example renders to tens of MB; allow well above that, but bounded.
const MAX_OUTPUT = 512 * 1024 * 1024;

/** `kubectl kustomize DIR`, no shell, argv only (a folder name cannot inject a command). */
export const kubectlKustomize: Kustomize = (dir) =>
  new Promise((resolve, reject) => {
    execFile('kubectl', ['kustomize', dir], { maxBuffer: MAX_OUTPUT, timeout: 5 * 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new UsageError('deploy.overlay.noKubectl', { reason: 'kubectl is not on PATH' }));
      reject(new UsageError('deploy.overlay.kustomizeFailed', { dir, reason: kustomizeReason(String(stderr)) ?? err.message }, { cause: err }));
    });
  });

/**
 * The line of kubectl's stderr that says why: `error: ...` lines, or inside a klog block
 * (`err=<` ... `>`) the line naming the failure (`failed to run`, `fatal:`); the last line alone
 * is often just the block's closing `>`.
 */
export function kustomizeReason(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== '>' && !/^err=<?$/.test(l));
  return lines.find((l) => /^error:/i.test(l)) ?? lines.find((l) => /failed to run|fatal:/i.test(l)) ?? lines[lines.length - 1];
}

/** Parses a render into objects; kustomize's own output is always a YAML stream of mappings. */
export function parseRender(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) throw new Error(`unparsable kustomize output: ${doc.errors[0].message}`);
    const value = doc.toJS() as KubeObject | null;
    if (value !== null) out.push(value);
  }
  return out;
}

/** `group/kind/namespace/name`, the identity kustomize itself uses (version left out: patches match any). */
export function objectKey(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export function findObject(objects: readonly KubeObject[], group: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
  return objects.find((o) => objectKey(o) === `${group}/${kind}/${namespace ?? ''}/${name}`);
}
