// One POST /v1/score body answered: parse, validate, score. The same function runs on the event
// loop for small plain requests and on the scoring thread (scoringWorker.ts) for explain and
// large batches, so both give the same answers and the same errors.
import { excerpt } from '../core/excerpt.ts';
import { formatMessage } from '../core/messages.ts';
import { parseScoreBody, RequestError } from './applicantRecords.ts';
import type { LoanScorer } from './loanScorer.ts';

export interface ScoreAnswer {
  readonly status: number;
  readonly payload: unknown;
}

export interface ScoreSettings {
  readonly allowUnknownCategories: boolean;
  /** Scoring threads (ScorePool / ContributionsPool); 1 on the event loop. */
  readonly nthread: number;
}

export async function answerScore(scorer: LoanScorer, body: string, explain: boolean, settings: ScoreSettings): Promise<ScoreAnswer> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return { status: 400, payload: { error: formatMessage('serve.badJson', { reason: excerpt((e as Error).message) }) } };
  }
  try {
    const parsed = parseScoreBody(json, { explain, categories: scorer.categories, allowUnknownCategories: settings.allowUnknownCategories });
    const results = settings.nthread > 1 || explain ? await scorer.scoreParallel(parsed.records, explain, settings.nthread) : scorer.score(parsed.records, false);
    const warnings = parsed.warnings.length > 0 ? { warnings: parsed.warnings } : {};
    return { status: 200, payload: parsed.batch ? { results, ...warnings } : { ...results[0], ...warnings } };
  } catch (e) {
    if (e instanceof RequestError) return { status: e.status, payload: { error: e.message } };
    throw e;
  }
}
