// The deploy configuration (`sealed-deploy.yaml`): where the AKS cluster goes, its two node pools,
// the registry and the optional Key Vault / attestation provider. One schema serves `sealed deploy
// plan|up` and the Pulumi program in deploy/azure, so a value refused here never reaches Azure.
// zod is imported directly: only the deploy commands and the Pulumi program load this module.
import { z } from 'zod';
import { excerpt } from '../../core/excerpt.ts';
import { nearestName } from '../../core/nearestName.ts';
import { isLabelValue, isQualifiedName } from '../../pipeline/dsl/deployOptions.ts';
import {
  attestationNameProblem,
  clusterNameProblem,
  keyVaultNameProblem,
  MAX_TAGS,
  nodePoolNameProblem,
  registryNameProblem,
  resourceGroupProblem,
  tagNameProblem,
  tagValueProblem,
} from './azureNames.ts';
import { AZURE_REGIONS, isAzureRegion, regionForDisplayName } from './regions.ts';
import { canonicalConfidentialSize, confidentialFamilyOf, DEFAULT_CONFIDENTIAL_SIZE, familiesOf, isSgxSize, TEES, type Tee } from './vmSizes.ts';

/** The system pool's fixed name (AKS needs one System-mode pool; the confidential pool must not take its name). */
export const SYSTEM_POOL_NAME = 'system';

/** Node labels each TEE's pool gets unless the file names others. SGX keeps the reference tutorial's intelvm=sgx. */
export const DEFAULT_POOL_LABELS: Readonly<Record<Tee, Readonly<Record<string, string>>>> = {
  sgx: { intelvm: 'sgx' },
  'sev-snp': { tee: 'sev-snp' },
  tdx: { tee: 'tdx' },
};

/** Pool name each TEE defaults to (the reference tutorial's intelsgx for SGX). */
export const DEFAULT_POOL_NAME: Readonly<Record<Tee, string>> = { sgx: 'intelsgx', 'sev-snp': 'amdsevsnp', tdx: 'inteltdx' };

// Bounds on node counts: at least one node (the pipeline needs somewhere to run), and a ceiling
// that catches a typo ("20" for "2") before it is billed per hour. A bigger cluster raises these
// deliberately, in review.
export const MAX_SYSTEM_NODES = 10;
export const MAX_CONFIDENTIAL_NODES = 20;
/** Labels per pool; AKS sets its own too, and a node's label set is not the place for bulk data. */
export const MAX_POOL_LABELS = 16;

// The kubelet may not label its own node under kubernetes.io / k8s.io (NodeRestriction admission
// plugin, kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction,
// except an allow-list), and AKS reserves kubernetes.azure.com ("Use labels in an AKS cluster",
// learn.microsoft.com/azure/aks/use-labels: reserved system labels). AKS refuses such node pools,
// after the cluster has been paid for; refuse them here. The kit refuses the whole domains, the
// kubelet's allow-list (node.kubernetes.io/...) included: a pool label of ours is never one that
// Kubernetes or AKS gives a meaning to.
const RESERVED_LABEL_DOMAINS = ['kubernetes.io', 'k8s.io', 'kubernetes.azure.com'];

function reservedLabelDomain(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash).toLowerCase();
  return RESERVED_LABEL_DOMAINS.find((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/** A string checked by a naming rule that returns the problem, if any. */
function named(problem: (s: string) => string | undefined) {
  return z.string().superRefine((s, ctx) => {
    const p = problem(s);
    if (p) ctx.addIssue({ code: 'custom', message: `'${excerpt(s)}' ${p}` });
  });
}

const location = z.string().superRefine((s, ctx) => {
  if (isAzureRegion(s)) return;
  const display = regionForDisplayName(s);
  const near = display ?? nearestName(s, AZURE_REGIONS);
  ctx.addIssue({
    code: 'custom',
    message: `'${excerpt(s)}' is not an Azure region name (az account list-locations)${near ? `; did you mean '${near}'?` : ''}`,
  });
});

// VM size syntax for the system pool: Standard_<size>, as ARM spells every size.
const vmSizeSyntax = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$/i, 'must be an Azure VM size such as Standard_D4_v5');

const labelKey = z.string().superRefine((key, ctx) => {
  if (!isQualifiedName(key)) {
    ctx.addIssue({ code: 'custom', message: 'must be a Kubernetes label key (name or prefix/name; letters, digits, - _ .)' });
    return;
  }
  const domain = reservedLabelDomain(key);
  if (domain) ctx.addIssue({ code: 'custom', message: `is under ${domain}, which the kubelet may not set on its node (reserved for Kubernetes and AKS)` });
});
const labelValue = z.string().refine(isLabelValue, 'must be a Kubernetes label value (at most 63 letters, digits, - _ ., starting and ending with a letter or digit)');
const labels = z
  .record(labelKey, labelValue)
  .refine((o) => Object.keys(o).length >= 1, 'must hold at least one label (pods find the pool by it)')
  .refine((o) => Object.keys(o).length <= MAX_POOL_LABELS, `must hold at most ${MAX_POOL_LABELS} labels`);

/** A string checked by a naming rule, the value itself not repeated (a mapping key: the message quotes it already). */
function checkedKey(problem: (s: string) => string | undefined) {
  return z.string().superRefine((s, ctx) => {
    const p = problem(s);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}

const tags = z
  .record(checkedKey(tagNameProblem), z.string().superRefine((v, ctx) => {
    const p = tagValueProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  }))
  .refine((o) => Object.keys(o).length <= MAX_TAGS, `must hold at most ${MAX_TAGS} tags (Azure's limit per resource)`);

const systemPool = z
  .strictObject({
    vmSize: vmSizeSyntax.default('Standard_D4_v5'),
    // Bounds before .int(): a huge count should read "at most 10", not zod's safe-integer limit.
    count: z.number().min(1).max(MAX_SYSTEM_NODES).int().default(1),
  })
  .superRefine((p, ctx) => {
    // AKS's own pods (CoreDNS, metrics-server) would take enclave nodes that cost more and are
    // scarce; the SGX quickstart adds the DCsv3 nodes as a separate user pool, and the project's
    // fact sheet (shared/docs/security-and-azure.md) says: do not use SGX sizes for the system pool.
    if (isSgxSize(p.vmSize)) {
      ctx.addIssue({ code: 'custom', path: ['vmSize'], message: `'${excerpt(p.vmSize)}' is an SGX size; the system pool must use a general-purpose size such as Standard_D4_v5` });
    }
  })
  .prefault({});

const confidentialPool = z
  .strictObject({
    name: named(nodePoolNameProblem).optional(),
    vmSize: z.string().max(64, 'must be at most 64 characters').optional(),
    count: z.number().min(1).max(MAX_CONFIDENTIAL_NODES).int().default(2),
    tee: z.enum(TEES as [Tee, ...Tee[]], { error: `must be one of ${TEES.join(', ')}` }).default('sgx'),
    labels: labels.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.name === SYSTEM_POOL_NAME) ctx.addIssue({ code: 'custom', path: ['name'], message: `'${SYSTEM_POOL_NAME}' is the system pool's name` });
    if (p.vmSize === undefined) return;
    const family = confidentialFamilyOf(p.vmSize);
    if (!family) {
      ctx.addIssue({
        code: 'custom',
        path: ['vmSize'],
        message: `'${excerpt(p.vmSize)}' is not a confidential-computing size of ${p.tee} (families ${familiesOf(p.tee).join(', ')})`,
      });
    } else if (family.tee !== p.tee) {
      ctx.addIssue({
        code: 'custom',
        path: ['vmSize'],
        message: `'${excerpt(p.vmSize)}' (${family.family}) is a ${family.tee} size but tee is ${p.tee}; set tee: ${family.tee} or pick a size of ${familiesOf(p.tee).join(', ')}`,
      });
    }
  })
  .transform((p) => ({
    name: p.name ?? DEFAULT_POOL_NAME[p.tee],
    // ARM compares size names without case; the catalogue's spelling keeps plans and diffs stable.
    vmSize: p.vmSize !== undefined ? (canonicalConfidentialSize(p.vmSize) ?? p.vmSize) : DEFAULT_CONFIDENTIAL_SIZE[p.tee],
    count: p.count,
    tee: p.tee,
    labels: p.labels ?? { ...DEFAULT_POOL_LABELS[p.tee] },
  }))
  .prefault({});

/** The deploy configuration file's schema; DeployConfig is what it gives (defaults filled in). */
export const deployConfigSchema = z.strictObject({
  /** Azure region, programmatic name (eastus, westeurope). */
  location,
  resourceGroup: named(resourceGroupProblem),
  clusterName: named(clusterNameProblem),
  /** AKS Kubernetes version ("1.31" or "1.31.2"); AKS's default when absent. */
  kubernetesVersion: z
    .string()
    .regex(/^1\.[0-9]{1,2}(\.[0-9]{1,3})?$/, 'must be a Kubernetes version such as 1.31 or 1.31.2')
    .optional(),
  systemPool,
  confidentialPool,
  acr: z.strictObject({
    name: named(registryNameProblem),
    sku: z.enum(['Standard', 'Premium'], { error: 'must be Standard or Premium' }).default('Standard'),
  }),
  /** Key Vault (Premium: HSM-backed keys, Secure Key Release) for the sealed-artifact keys. */
  keyVault: z.strictObject({ name: named(keyVaultNameProblem) }).optional(),
  /** Microsoft Azure Attestation provider the key release policy names. */
  attestation: z.strictObject({ name: named(attestationNameProblem) }).optional(),
  tags: tags.optional(),
});

export type DeployConfig = z.output<typeof deployConfigSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;
