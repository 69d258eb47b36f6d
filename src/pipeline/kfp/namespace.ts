// Which Kubeflow namespace (profile) the KFP calls act in: --namespace, else KFP_NAMESPACE, else
// the namespace the KFP SDK keeps in its context file, $HOME/.config/kfp/context.json, a JSON
// object whose `namespace` key Client.set_user_namespace writes ('' when unset;
// sdk/python/kfp/client/client.py, _LOCAL_KFP_CONTEXT and _load_context_setting_or_default).
// The file may also hold the SDK's authentication cookie and header; nothing but `namespace`
// is read from it, and its contents are never shown.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { printable } from '../../core/terminalText.ts';

export interface NamespaceChoice {
  namespace?: string;
  /** Where it came from, for messages: '--namespace', 'KFP_NAMESPACE' or the context file. */
  source?: string;
}

// A Kubernetes namespace is an RFC 1123 label.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function contextFilePath(home: string): string {
  return join(home, '.config', 'kfp', 'context.json');
}

export async function resolveNamespace(flag: string | undefined, env: Record<string, string | undefined>): Promise<NamespaceChoice> {
  if (flag !== undefined) return { namespace: checked(flag, '--namespace'), source: '--namespace' };
  const variable = env.KFP_NAMESPACE?.trim();
  if (variable) return { namespace: checked(variable, 'KFP_NAMESPACE'), source: 'KFP_NAMESPACE' };
  const home = env.HOME?.trim();
  if (!home) return {};
  const path = contextFilePath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError('kfp.badContextFile', { path, reason: (e as Error).message }, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError('kfp.badContextFile', { path, reason: 'not JSON' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError('kfp.badContextFile', { path, reason: 'not a JSON object' });
  const value = (json as Record<string, unknown>).namespace;
  if (value === undefined || value === '') return {};
  if (typeof value !== 'string') throw new UsageError('kfp.badContextFile', { path, reason: '"namespace" is not a string' });
  if (!LABEL.test(value)) throw new UsageError('kfp.badContextFile', { path, reason: `"namespace" ${JSON.stringify(printable(value))} is not a Kubernetes namespace name` });
  return { namespace: value, source: path };
}

function checked(value: string, option: string): string {
  if (!LABEL.test(value)) throw new UsageError('cli.badValue', { option, value: printable(value), expected: 'a Kubernetes namespace name (lower-case letters, digits and -, at most 63)' });
  return value;
}
