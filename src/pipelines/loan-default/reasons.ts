// Adverse-action reasons: which applicant fields pushed a score towards default. TreeSHAP gives
// one contribution per preprocessed column; the columns that came from one raw field (its
// one-hot block, or its transformed value) are added back together, and the fields with the
// largest positive sums are the reasons.
import { FEATURE_COLUMNS } from './schema.ts';

export interface Reason {
  readonly field: string;
  /** Margin (log-odds) this field added to the score. */
  readonly contribution: number;
}

/** For each preprocessed column (`<transformer>__<field>[_<category>]`), the raw field it came from. */
export function rawFieldOf(featureNames: readonly string[]): string[] {
  const fields = [...FEATURE_COLUMNS].sort((a, b) => b.length - a.length);
  return featureNames.map((name) => {
    const rest = name.includes('__') ? name.slice(name.indexOf('__') + 2) : name;
    return fields.find((f) => rest === f || rest.startsWith(`${f}_`)) ?? rest;
  });
}

/** The top `k` fields by positive contribution (one row's contributions, bias last). */
export function topReasons(contribs: ArrayLike<number>, fieldOf: readonly string[], k: number): Reason[] {
  const sums = new Map<string, number>();
  for (let c = 0; c < fieldOf.length; c++) sums.set(fieldOf[c], (sums.get(fieldOf[c]) ?? 0) + contribs[c]);
  return [...sums]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([field, contribution]) => ({ field, contribution }));
}
