// What POST /v1/score accepts: one raw applicant record (the 11 feature fields of the credit
// risk file, as the pipeline's input contract has them: numbers or null, categories as strings
// or null) or a batch of them. Every field must be present; any other field is refused, so a
// misspelt field cannot silently become a missing value. A category the preprocessor never saw
// is refused too (with the allowed values and a did-you-mean), unless the service runs with
// --allow-unknown-categories: then it is scored as unseen and the answer carries a warning.
//
// Every piece of the request that an error quotes (field names, values) is a bounded excerpt
// with control characters escaped: a 500 KB key must not come back whole.
import { z } from 'zod';
import { formatMessage, type MessageArgs, type MessageCode } from '../core/messages.ts';
import { nearestName } from '../core/nearestName.ts';
import { excerpt } from '../core/excerpt.ts';
import { CREDIT_RISK_CATEGORIES, FEATURE_COLUMNS } from '../pipelines/loan-default/index.ts';

/** Records in one plain batch. */
export const MAX_BATCH_RECORDS = 10_000;
/** Records in one ?explain=true batch (TreeSHAP costs ~5 ms a record on the reference model). */
export const MAX_EXPLAIN_RECORDS = 100;
/** Longest category string accepted. */
export const MAX_CATEGORY_CHARS = 100;
/** Warnings one answer carries at most (the last says how many more there were). */
export const MAX_WARNINGS = 20;
/** Unknown field names one error lists at most. */
const MAX_LISTED_FIELDS = 3;

const categorical = new Set(Object.keys(CREDIT_RISK_CATEGORIES));

const record = z.strictObject(
  Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, categorical.has(f) ? z.string().max(MAX_CATEGORY_CHARS).nullable() : z.number().nullable()])) as Record<
    (typeof FEATURE_COLUMNS)[number],
    z.ZodNullable<z.ZodString> | z.ZodNullable<z.ZodNumber>
  >,
);

export type ApplicantRecord = Readonly<Record<(typeof FEATURE_COLUMNS)[number], number | string | null>>;

/** Allowed values of each categorical field (the categories the preprocessor was fitted on). */
export type CategorySets = ReadonlyMap<string, readonly string[]>;

export interface ParseOptions {
  readonly explain?: boolean;
  /** Fields checked against their fitted categories; none when absent. */
  readonly categories?: CategorySets;
  /** Score unknown categories as unseen (with a warning) instead of refusing the request. */
  readonly allowUnknownCategories?: boolean;
}

export interface ParsedBody {
  readonly records: ApplicantRecord[];
  readonly batch: boolean;
  readonly warnings: string[];
}

/** A 4xx answer: status and a one-line message. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function refuse<C extends MessageCode>(code: C, args: MessageArgs<C>): RequestError {
  return new RequestError(formatMessage(code, args));
}


/** The records of a request body, or a RequestError naming the record and field at fault. */
export function parseScoreBody(json: unknown, options: ParseOptions = {}): ParsedBody {
  const batch = Array.isArray(json);
  if (batch) {
    // Sizes first: validating 10,000 records only to refuse the batch would be wasted work.
    const limit = options.explain ? MAX_EXPLAIN_RECORDS : MAX_BATCH_RECORDS;
    if (json.length > limit) throw refuse('serve.batchTooLarge', { limit, explain: options.explain === true });
    if (json.length === 0) throw refuse('serve.batchEmpty', {});
  }
  const r = (batch ? z.array(record) : record).safeParse(json);
  if (!r.success) throw describe(r.error, batch, json);
  const records = (batch ? r.data : [r.data]) as ApplicantRecord[];
  return { records, batch, warnings: options.categories ? checkCategories(records, batch, options.categories, options.allowUnknownCategories === true) : [] };
}

function checkCategories(records: readonly ApplicantRecord[], batch: boolean, categories: CategorySets, allowUnknown: boolean): string[] {
  const warnings: string[] = [];
  let unlisted = 0;
  const sets = [...categories].map(([field, allowed]) => ({ field: field as (typeof FEATURE_COLUMNS)[number], allowed, set: new Set(allowed) }));
  records.forEach((rec, i) => {
    for (const { field, allowed, set } of sets) {
      const value = rec[field];
      if (typeof value !== 'string' || value === '' || set.has(value)) continue;
      const at = batch ? `record ${i}: ` : '';
      if (!allowUnknown) {
        throw refuse('serve.unknownCategory', { at, field, value: excerpt(value), allowed: allowed.map((a) => excerpt(a)), suggestion: suggest(value, allowed) });
      }
      if (warnings.length < MAX_WARNINGS) warnings.push(formatMessage('serve.unseenCategory', { at, field, value: excerpt(value) }));
      else unlisted++;
    }
  });
  if (unlisted > 0) warnings.push(`and ${unlisted} more unknown categories scored as unseen`);
  return warnings;
}

function suggest(value: string, allowed: readonly string[]): string | undefined {
  if (value.length > MAX_CATEGORY_CHARS) return undefined;
  const exact = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  return exact ?? nearestName(value, allowed);
}

function describe(error: z.ZodError, batch: boolean, json: unknown): RequestError {
  const issue = error.issues[0];
  const path = [...issue.path];
  const at = batch && typeof path[0] === 'number' ? `record ${String(path.shift())}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    const fields = issue.keys.slice(0, MAX_LISTED_FIELDS).map((k) => excerpt(k));
    return refuse('serve.unknownFields', { at, fields, more: issue.keys.length - fields.length });
  }
  if (path.length === 0) return refuse('serve.notARecord', { at, fields: FEATURE_COLUMNS });
  // A known field (zod reports unknown ones as unrecognized_keys), so its name is bounded.
  const field = String(path[0]);
  const given = (batch ? (json as unknown[])[issue.path[0] as number] : json) as Record<string, unknown>;
  if (!Object.hasOwn(given, field)) return refuse('serve.fieldMissing', { at, field });
  const expected = categorical.has(field) ? `a string (at most ${MAX_CATEGORY_CHARS} characters) or null` : 'a number or null';
  return refuse('serve.fieldType', { at, field, expected });
}
