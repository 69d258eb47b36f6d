// What POST /v1/score accepts: one raw applicant record (the 11 feature fields of the credit
// risk file, as the pipeline's input contract has them: numbers or null, categories as strings
// or null) or a batch of them. Every field must be present; any other field is refused, so a
// misspelt field cannot silently become a missing value.
import { z } from 'zod';
import { CREDIT_RISK_CATEGORIES, FEATURE_COLUMNS } from '../pipelines/loan-default/index.ts';

export const MAX_BATCH_RECORDS = 1000;

const categorical = new Set(Object.keys(CREDIT_RISK_CATEGORIES));

const record = z.strictObject(
  Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, categorical.has(f) ? z.string().max(100).nullable() : z.number().nullable()])) as Record<
    (typeof FEATURE_COLUMNS)[number],
    z.ZodNullable<z.ZodString> | z.ZodNullable<z.ZodNumber>
  >,
);

export type ApplicantRecord = Readonly<Record<(typeof FEATURE_COLUMNS)[number], number | string | null>>;



export class RequestError extends Error {}

/** The records of a request body, or a RequestError naming the record and field at fault. */
export function parseScoreBody(json: unknown): { records: ApplicantRecord[]; batch: boolean } {
  const batch = Array.isArray(json);
  const r = (batch ? z.array(record).min(1).max(MAX_BATCH_RECORDS) : record).safeParse(json);
  if (!r.success) throw new RequestError(describe(r.error, batch, json));

  return { records: (batch ? r.data : [r.data]) as ApplicantRecord[], batch };
}

function describe(error: z.ZodError, batch: boolean, json: unknown): string {
  const issue = error.issues[0];
  const path = [...issue.path];
  const at = batch && typeof path[0] === 'number' ? `record ${String(path.shift())}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${at}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (path.length === 0) {
    if (issue.code === 'too_big') return `a batch holds at most ${MAX_BATCH_RECORDS} records`;
    if (issue.code === 'too_small') return 'a batch holds at least one record';
    return `${at}expected an applicant record (an object with the fields ${FEATURE_COLUMNS.join(', ')}) or an array of them`;
  }
  const field = String(path[0]);
  const given = (batch ? (json as unknown[])[issue.path[0] as number] : json) as Record<string, unknown>;
  if (!Object.hasOwn(given, field)) return `${at}field '${field}' is missing`;
  const expected = categorical.has(field) ? 'a string or null' : 'a number or null';
  return `${at}field '${field}' must be ${expected}`;
}
