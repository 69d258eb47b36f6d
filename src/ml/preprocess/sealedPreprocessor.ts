// The on-disk form of a fitted preprocessor: `{format: 'sealed-preprocessor', version: 1, ...}`.
// Everything a transform needs is in it (no pickles, no code), so a loaded preprocessor
// transforms new rows exactly like the one that was fitted. Numbers are plain JSON doubles,
// which round-trip exactly; `null` stands for NaN (an imputer column with no median) and for
// the missing-value one-hot category.
import type { z } from 'zod';
import { ModelError } from '../../core/index.ts';
import { lazily, zod } from '../../core/lazyZod.ts';

// Built on first use (core/lazyZod.ts): a run that only writes preprocessors never loads zod.
function buildSchemas() {
  const { z } = zod();
  const name = z.string().min(1);
  const finite = z.number().refine(Number.isFinite, 'must be a finite number');

  const medianImputer = z.object({
    name,
    kind: z.literal('medianImputer'),
    columns: z.array(name).min(1),
    statistics: z.array(finite.nullable()),
  });

  const yeoJohnson = z.object({
    name,
    kind: z.literal('yeoJohnson'),
    columns: z.array(name).min(1),
    lambdas: z.array(finite),
    standardize: z.boolean(),
    means: z.array(finite),
    scales: z.array(finite.refine((s) => s > 0, 'must be positive')),
  });

  const oneHot = z.object({
    name,
    kind: z.literal('oneHot'),
    columns: z.array(name).min(1),
    categories: z.array(z.array(z.string().nullable())),
  });

  const schema = z.object({
    format: z.literal('sealed-preprocessor'),
    version: z.literal(1),
    inputs: z.array(z.object({ name, kind: z.enum(['numeric', 'categorical']) })),
    transformers: z.array(z.discriminatedUnion('kind', [medianImputer, yeoJohnson, oneHot])).min(1),
    featureNames: z.array(z.string()),
  });
  return { schema };
}
const schemas = lazily(buildSchemas);

export type SealedPreprocessor = z.infer<ReturnType<typeof buildSchemas>['schema']>;

function perColumnLengths(t: SealedPreprocessor['transformers'][number]): string | undefined {
  const n = t.columns.length;
  const arrays: [string, unknown[]][] =
    t.kind === 'medianImputer' ? [['statistics', t.statistics]] : t.kind === 'yeoJohnson' ? [['lambdas', t.lambdas], ['means', t.means], ['scales', t.scales]] : [['categories', t.categories]];
  for (const [field, a] of arrays) {
    if (a.length !== n) return `transformer '${t.name}': ${field} has ${a.length} entries for ${n} columns`;
  }
  if (t.kind === 'oneHot') {
    for (const cats of t.categories) {
      const i = cats.indexOf(null);
      if (i !== -1 && i !== cats.length - 1) return `transformer '${t.name}': the missing-value category must come last`;
      if (new Set(cats).size !== cats.length) return `transformer '${t.name}': categories repeat`;
    }
  }
  return undefined;
}

/** Validates parsed JSON as a sealed preprocessor; throws ModelError naming the first problem. */
export function parseSealedPreprocessor(json: unknown): SealedPreprocessor {
  if (typeof json === 'object' && json !== null) {
    const { format, version } = json as { format?: unknown; version?: unknown };
    if (format !== 'sealed-preprocessor' || version !== 1) {
      throw new ModelError('preprocess.unsupportedVersion', { format: String(format), version: String(version) });
    }
  }
  const r = schemas().schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'document';
    throw new ModelError('preprocess.badState', { problem: `${where}: ${issue.message}` });
  }
  for (const t of r.data.transformers) {
    const problem = perColumnLengths(t);
    if (problem) throw new ModelError('preprocess.badState', { problem });
  }
  return r.data;
}
