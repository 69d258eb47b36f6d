// How a pipeline's tasks are deployed on Kubernetes: the container resources and retry/caching
// policy (first YAML document) and the pod placement, metadata and secrets (KFP's Kubernetes
// platform config, second document). Options come in layers — the pipeline's defaults (the
// loan-default pipeline pins every pod to SGX nodes), then options for all tasks, then options
// for one task — and a later layer replaces a field of an earlier one as a whole (a new node
// selector replaces the default one; `nodeSelector: null` removes it).
import type { z } from 'zod';
import { PipelineError } from '../../core/index.ts';
import { lazily, zod } from '../../core/lazyZod.ts';
import { compareQuantities, isWholeMilli, isWholeQuantity, isZeroQuantity, parseQuantity } from './quantity.ts';

// Kubernetes syntax (apimachinery validation): a quantity, a label key (optional DNS-subdomain
// prefix + name), a label value, a DNS-1123 subdomain (secret names), an environment name.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Kubernetes label key: an optional DNS-subdomain prefix and '/', then a name of 1-63 characters. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  return LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

/** A Kubernetes label value: empty, or 1-63 letters, digits, - _ . starting and ending with a letter or digit. */
export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}

// A quantity of one kind: CPU cores (more than 0), or bytes of memory or SGX EPC (a whole number
// more than 0: "500m" is half a byte, a classic slip for 500Mi, and extended resources such as
// sgx.intel.com/epc take whole numbers only — Kubernetes refuses the pod otherwise).
function quantityProblem(text: string, kind: 'cpu' | 'bytes' | 'epc'): string | undefined {
  const q = parseQuantity(text);
  if (!q) return 'must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi';
  if (isZeroQuantity(q)) return 'must be more than 0';
  if (kind === 'cpu' && !isWholeMilli(q)) return 'must be a whole number of millicores (Kubernetes allows no finer CPU precision than 1m)';
  if (kind !== 'cpu' && !isWholeQuantity(q)) {
    return kind === 'epc'
      ? 'must be a whole number of bytes, such as 64Mi (sgx.intel.com/epc is an extended resource)'
      : 'must be a whole number of bytes, such as 512Mi or 4Gi (m means thousandths)';
  }
  return undefined;
}

// Built on first use (core/lazyZod.ts): zod takes 50-90 ms to load, and a run whose options are
// only a plain node selector (checkDeployOptions) never needs it.
function buildSchemas() {
  const { z } = zod();
  const quantity = (kind: 'cpu' | 'bytes' | 'epc') =>
    z.string().superRefine((text, ctx) => {
      const problem = quantityProblem(text, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
  const labelKey = z.string().refine(isQualifiedName, 'must be a Kubernetes label key (name or prefix/name; letters, digits, - _ .)');
  const secretName = z.string().max(253).regex(DNS_SUBDOMAIN, 'must be a Kubernetes object name (lowercase letters, digits, - and .)');

  // A versioned Key Vault / Managed HSM key id, https://<host>/keys/<name>/<version> (what src/seal/azure/keyVaultKeyId.ts
  // accepts: sealed artifacts name the exact key version), and an Azure Attestation instance, https://<name>.<region>.attest.azure.net.
  const KEY_VAULT_KEY_ID = /^https:\/\/[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::[0-9]{1,5})?\/keys\/[0-9A-Za-z-]{1,127}\/[0-9A-Za-z]{1,64}$/;
  const MAA_ENDPOINT = /^https:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,3}attest\.azure\.net$/;
  const keyVaultKeyId = z.string().max(2048).regex(KEY_VAULT_KEY_ID, 'must be a versioned Key Vault key id, https://<vault>.vault.azure.net/keys/<name>/<version>');
  const maaEndpoint = z.string().max(300).regex(MAA_ENDPOINT, 'must be an Azure Attestation instance, https://<name>.<region>.attest.azure.net');

  /**
   * Where a sealed task's keys come from (the pod's environment contract, src/seal/keyProviderFromEnv.ts):
   * a key folder in a Kubernetes secret, Key Vault wrap/unwrap, or Secure Key Release against an attestation.
   */
  const sealOptionsSchema = z.discriminatedUnion('provider', [
    z.strictObject({ provider: z.literal('local'), keysSecret: secretName }),
    z.strictObject({ provider: z.literal('azure-keyvault'), keyId: keyVaultKeyId }),
    z.strictObject({ provider: z.literal('azure-skr'), keyId: keyVaultKeyId, maaEndpoint, policyConfigMap: secretName }),
  ]);

  const toleration = z.strictObject({
    key: labelKey.optional(),
    operator: z.enum(['Equal', 'Exists']).default('Equal'),
    value: z.string().regex(LABEL_VALUE, 'must be a Kubernetes label value').optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.number().int().min(0).optional(),
  });

  const deployOptionsSchema = z.strictObject({
    /** Pod node selector; null removes one set by an earlier layer. */
    nodeSelector: z.record(labelKey, z.string().regex(LABEL_VALUE, 'must be a Kubernetes label value')).nullable().optional(),
    tolerations: z.array(toleration).optional(),
    podLabels: z.record(labelKey, z.string().regex(LABEL_VALUE, 'must be a Kubernetes label value')).optional(),
    podAnnotations: z.record(labelKey, z.string()).optional(),
    /** Kubernetes secrets exposed as environment variables: secretKey -> envVar. */
    secretsAsEnv: z
      .array(z.strictObject({ secretName, keys: z.record(z.string().min(1), z.string().regex(ENV_NAME, 'must be an environment variable name')), optional: z.boolean().optional() }))
      .optional(),
    imagePullSecrets: z.array(secretName).optional(),
    activeDeadlineSeconds: z.number().int().positive().optional(),
    cpuRequest: quantity('cpu').optional(),
    cpuLimit: quantity('cpu').optional(),
    memoryRequest: quantity('bytes').optional(),
    memoryLimit: quantity('bytes').optional(),
    /** SGX enclave page cache (sgx.intel.com/epc), e.g. "64Mi": places the pod on an SGX node. */
    epc: quantity('epc').optional(),
    /** Retries of a failed task (KFP retryPolicy.maxRetryCount). */
    retries: z.number().int().min(0).max(100).optional(),
    /** KFP execution caching. */
    caching: z.boolean().optional(),
    /** Run the task inside an SGX enclave (Gramine; the image built from Dockerfile.sgx); 'none' removes an earlier layer's. */
    enclave: z.enum(['gramine', 'none'], { error: 'must be gramine or none' }).optional(),
    /** Seal the task's artifacts with these keys; null removes an earlier layer's. */
    seal: sealOptionsSchema.nullable().optional(),
  });


  /** A deploy-options file: options for all tasks and per task. */
  const deployConfigSchema = z.strictObject({
    all: deployOptionsSchema.optional(),
    tasks: z.record(z.string(), deployOptionsSchema).optional(),
  });
  return { sealOptionsSchema, deployOptionsSchema, deployConfigSchema };
}
const schemas = lazily(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

export type SealOptions = z.output<Schemas['sealOptionsSchema']>;
export type DeployOptions = z.input<Schemas['deployOptionsSchema']>;
export type CheckedDeployOptions = z.output<Schemas['deployOptionsSchema']>;
export type DeployConfig = z.input<Schemas['deployConfigSchema']>;

/** Checks one layer of options; errors name `where` (e.g. "task 'train-model'") and the field. */
export function checkDeployOptions(where: string, options: unknown): CheckedDeployOptions {
  return plainNodeSelector(options) ?? checkDeployOptionsWithSchema(where, options);
}

/** checkDeployOptions by the schema alone (what the plain node-selector path must agree with; tests compare them). */
export function checkDeployOptionsWithSchema(where: string, options: unknown): CheckedDeployOptions {
  const r = schemas().deployOptionsSchema.safeParse(options);
  if (!r.success) throw deployError(where, r.error);
  return r.data;
}

export function checkDeployConfig(where: string, config: unknown): { all: CheckedDeployOptions; tasks: Record<string, CheckedDeployOptions> } {
  const r = schemas().deployConfigSchema.safeParse(config);
  if (!r.success) throw deployError(where, r.error);
  return { all: r.data.all ?? {}, tasks: r.data.tasks ?? {} };
}

/**
 * Options that are exactly `{ nodeSelector: { key: value, ... } }` (what the loan-default pipeline
 * and most deploy flags set), with every key a label key and every value a label value, checked
 * without the schema: the copy the schema would give. Anything else (other fields, an invalid
 * key or value, null, getters, symbols, a non-plain object): undefined, and the schema decides.
 */
function plainNodeSelector(options: unknown): CheckedDeployOptions | undefined {
  if (!isPlainRecord(options)) return undefined;
  const keys = Object.keys(options);
  if (keys.length !== 1 || keys[0] !== 'nodeSelector') return undefined;
  const selector = options.nodeSelector;
  if (!isPlainRecord(selector)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(selector)) {
    if (typeof value !== 'string' || !isQualifiedName(key) || !LABEL_VALUE.test(value)) return undefined;
    out[key] = value;
  }
  return { nodeSelector: out };
}

/** An object literal's shape: Object.prototype, own enumerable data properties with string keys only. */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  if (Object.getOwnPropertySymbols(v).length > 0) return false;
  return Object.values(Object.getOwnPropertyDescriptors(v)).every((d) => 'value' in d && d.enumerable === true);
}

/** Later layers replace fields of earlier ones. */
export function mergeDeployOptions(...layers: readonly (CheckedDeployOptions | undefined)[]): CheckedDeployOptions {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) out[k] = v;
  }
  return out as CheckedDeployOptions;
}

/**
 * Checks what only the merged options show: a request above its limit, which Kubernetes refuses
 * when it creates the pod (core/v1 validation: "must be less than or equal to cpu limit").
 */
export function checkResourceBounds(where: string, o: CheckedDeployOptions): void {
  for (const [request, limit] of [['cpuRequest', 'cpuLimit'], ['memoryRequest', 'memoryLimit']] as const) {
    const r = o[request];
    const l = o[limit];
    if (r !== undefined && l !== undefined && compareQuantities(parseQuantity(r)!, parseQuantity(l)!) > 0) {
      throw new PipelineError('pipeline.badDeployOption', { where, field: request, reason: `${r} is more than ${limit} ${l} (a request must not exceed its limit)` });
    }
  }
}

function deployError(where: string, error: z.ZodError): PipelineError<'pipeline.badDeployOption'> {
  const issue = error.issues[0];
  const field = issue.path.map(String).join('.') || '(options)';
  const reason =
    issue.code === 'unrecognized_keys'
      ? `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      : issue.code === 'invalid_key'
        ? `key '${String(issue.path.at(-1))}' ${issue.issues[0]?.message ?? 'is invalid'}`
        : issue.message;
  return new PipelineError('pipeline.badDeployOption', { where, field, reason });
}
