// `sealed compile`'s deploy flags -> DeployOptions for all tasks. Each flag's text is checked
// here for its shape (key=value, secret:key=ENV, ...); the values themselves (label syntax,
// quantities) are checked by the DSL's deploy-options schema, whose errors name the field.
import { excerpt, PipelineError, UsageError } from '../core/index.ts';
import { checkDeployOptions, type CheckedDeployOptions, type DeployOptions } from '../pipeline/index.ts';
import { parseInteger } from './parseOptions.ts';

export interface DeployFlags {
  nodeSelector?: string[];
  toleration?: string[];
  podLabel?: string[];
  podAnnotation?: string[];
  secretEnv?: string[];
  imagePullSecret?: string[];
  deadline?: string;
  epc?: string;
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  retries?: string;
  /** commander's --no-cache: false when given. */
  cache?: boolean;
  /** gramine | none */
  enclave?: string;
  /** A Kubernetes secret holding a key folder (sealed keys init): provider local. */
  sealKeysSecret?: string;
  sealProvider?: string;
  keyvaultKeyId?: string;
  maaEndpoint?: string;
  attestationPolicyConfigmap?: string;
}

// A year: no pipeline task should need longer, and Argo/Kubernetes take int64 so any bound is ours.
const MAX_DEADLINE_SECONDS = 365 * 24 * 3600;

const FLAG_OF: Readonly<Record<string, string>> = {
  nodeSelector: '--node-selector',
  tolerations: '--toleration',
  podLabels: '--pod-label',
  podAnnotations: '--pod-annotation',
  secretsAsEnv: '--secret-env',
  imagePullSecrets: '--image-pull-secret',
  activeDeadlineSeconds: '--deadline',
  epc: '--epc',
  cpuRequest: '--cpu-request',
  cpuLimit: '--cpu-limit',
  memoryRequest: '--memory-request',
  memoryLimit: '--memory-limit',
  retries: '--retries',
  enclave: '--enclave',
};
const SEAL_FLAG_OF: Readonly<Record<string, string>> = {
  provider: '--seal-provider',
  keysSecret: '--seal-keys-secret',
  keyId: '--keyvault-key-id',
  maaEndpoint: '--maa-endpoint',
  policyConfigMap: '--attestation-policy-configmap',
};

/** The flags as checked deploy options; a bad value is a usage error naming the flag. */
export function checkedDeployFlags(f: DeployFlags): CheckedDeployOptions {
  try {
    return checkDeployOptions('deploy flags', deployOptionsFromFlags(f));
  } catch (e) {
    if (!(e instanceof PipelineError) || e.code !== 'pipeline.badDeployOption') throw e;
    const { field, reason } = e.args as { field: string; reason: string };
    const [head, sub] = field.split('.');
    const option = head === 'seal' ? (SEAL_FLAG_OF[sub ?? 'provider'] ?? '--seal-provider') : (FLAG_OF[head] ?? field);
    throw new UsageError('cli.badDeployFlag', { option, reason }, { cause: e });
  }
}

export function deployOptionsFromFlags(f: DeployFlags): DeployOptions {
  const o: DeployOptions = {};
  if (f.nodeSelector) {
    // `none` alone removes the pipeline's default node selector.
    o.nodeSelector = f.nodeSelector.length === 1 && f.nodeSelector[0] === 'none' ? null : pairs('--node-selector', f.nodeSelector);
  }
  if (f.toleration) o.tolerations = f.toleration.map(parseToleration);
  if (f.podLabel) o.podLabels = pairs('--pod-label', f.podLabel);
  if (f.podAnnotation) o.podAnnotations = pairs('--pod-annotation', f.podAnnotation);
  if (f.secretEnv) o.secretsAsEnv = secretEnvs(f.secretEnv);
  if (f.imagePullSecret) o.imagePullSecrets = f.imagePullSecret;
  if (f.deadline !== undefined) o.activeDeadlineSeconds = parseInteger('--deadline', f.deadline, { min: 1, max: MAX_DEADLINE_SECONDS });
  if (f.retries !== undefined) o.retries = parseInteger('--retries', f.retries, { min: 0, max: 100 });
  if (f.epc !== undefined) o.epc = f.epc;
  if (f.cpuRequest !== undefined) o.cpuRequest = f.cpuRequest;
  if (f.cpuLimit !== undefined) o.cpuLimit = f.cpuLimit;
  if (f.memoryRequest !== undefined) o.memoryRequest = f.memoryRequest;
  if (f.memoryLimit !== undefined) o.memoryLimit = f.memoryLimit;
  if (f.cache === false) o.caching = false;
  if (f.enclave !== undefined) o.enclave = f.enclave as DeployOptions['enclave'];
  const seal = sealFromFlags(f);
  if (seal) o.seal = seal;
  return o;
}

/**
 * The seal flags as one `seal` option: --seal-keys-secret NAME alone means provider local; each provider takes
 * exactly its own flags, so a flag that would be ignored (a key id with a key folder) is an error, not a surprise.
 */
function sealFromFlags(f: DeployFlags): DeployOptions['seal'] {
  const given: Record<string, string | undefined> = {
    '--seal-keys-secret': f.sealKeysSecret,
    '--keyvault-key-id': f.keyvaultKeyId,
    '--maa-endpoint': f.maaEndpoint,
    '--attestation-policy-configmap': f.attestationPolicyConfigmap,
  };
  if (f.sealProvider === undefined && Object.values(given).every((v) => v === undefined)) return undefined;
  const provider = f.sealProvider ?? (f.sealKeysSecret !== undefined ? 'local' : undefined);
  if (provider === undefined) throw new UsageError('cli.usage', { reason: `${Object.keys(given).find((k) => given[k] !== undefined)} needs --seal-provider azure-keyvault or azure-skr` });
  const needs: Record<string, string[]> = {
    local: ['--seal-keys-secret'],
    'azure-keyvault': ['--keyvault-key-id'],
    'azure-skr': ['--keyvault-key-id', '--maa-endpoint', '--attestation-policy-configmap'],
  };
  const own = needs[provider];
  if (!own) throw new UsageError('cli.badValue', { option: '--seal-provider', value: excerpt(provider), expected: 'local, azure-keyvault or azure-skr' });
  for (const flag of own) if (given[flag] === undefined) throw new UsageError('cli.missingOption', { option: `${flag} <value>`, command: `sealed compile --seal-provider ${provider}` });
  for (const [flag, value] of Object.entries(given)) {
    if (value !== undefined && !own.includes(flag)) throw new UsageError('cli.usage', { reason: `${flag} is not used by --seal-provider ${provider} (it takes ${own.join(', ')})` });
  }
  if (provider === 'local') return { provider, keysSecret: f.sealKeysSecret! };
  if (provider === 'azure-keyvault') return { provider, keyId: f.keyvaultKeyId! };
  return { provider: 'azure-skr', keyId: f.keyvaultKeyId!, maaEndpoint: f.maaEndpoint!, policyConfigMap: f.attestationPolicyConfigmap! };
}

function splitPair(option: string, text: string, expected = 'key=value'): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError('cli.badValue', { option, value: text, expected });
  return [text.slice(0, at), text.slice(at + 1)];
}

function pairs(option: string, texts: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of texts) {
    const [k, v] = splitPair(option, t);
    if (Object.hasOwn(out, k)) throw new UsageError('cli.badValue', { option, value: t, expected: `each key once ('${k}' is given twice)` });
    out[k] = v;
  }
  return out;
}

/** `key=value:Effect`, `key:Effect` (operator Exists) or `key=value` (any effect). */
function parseToleration(text: string): NonNullable<DeployOptions['tolerations']>[number] {
  const m = /^([^=:]+)(?:=([^:]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?$/.exec(text);
  if (!m) throw new UsageError('cli.badValue', { option: '--toleration', value: text, expected: 'key=value:Effect, key:Effect or key=value (Effect: NoSchedule, PreferNoSchedule, NoExecute)' });
  const [, key, value, effect] = m;
  return { key, operator: value === undefined ? 'Exists' : 'Equal', ...(value !== undefined ? { value } : {}), ...(effect ? { effect: effect as 'NoSchedule' } : {}) };
}

/** `secret:key=ENV_VAR`, several keys of one secret gathered into one entry. */
function secretEnvs(texts: readonly string[]): NonNullable<DeployOptions['secretsAsEnv']> {
  const bySecret = new Map<string, Record<string, string>>();
  for (const t of texts) {
    const m = /^([^:]+):([^=]+)=(.+)$/.exec(t);
    if (!m) throw new UsageError('cli.badValue', { option: '--secret-env', value: t, expected: 'secret:key=ENV_VAR' });
    const keys = bySecret.get(m[1]) ?? {};
    keys[m[2]] = m[3];
    bySecret.set(m[1], keys);
  }
  return [...bySecret].map(([secretName, keys]) => ({ secretName, keys }));
}
