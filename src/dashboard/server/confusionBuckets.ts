// The predictions bucketed for the confusion matrix at any threshold: for each of 1000 equal
// probability ranges on [0, 1], how many true positives and true negatives fall in it. The
// file (250,000 rows at full size) is streamed line by line, never held whole.
import { createInterface } from 'node:readline';
import type { FileHandle } from 'node:fs/promises';
import type { ConfusionSource } from '../api/contract.ts';
import { METRICS_LAYOUT } from './metricsLayout.ts';

export const CONFUSION_BUCKETS = 1000;

/** `fail(reason)` makes the error naming the file. */
export async function confusionBuckets(handle: FileHandle, fail: (reason: string) => Error): Promise<ConfusionSource> {
  const positives = new Array<number>(CONFUSION_BUCKETS).fill(0);
  const negatives = new Array<number>(CONFUSION_BUCKETS).fill(0);
  const { label, probability } = METRICS_LAYOUT.predictionColumns;
  // start: 0 reads from the beginning whatever the handle's position; the handle stays open for the caller to close.
  const lines = createInterface({ input: handle.createReadStream({ start: 0, autoClose: false, encoding: 'utf8' }), crlfDelay: Infinity });
  let labelAt = -1;
  let probabilityAt = -1;
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text === '') continue;
    const fields = text.split(',');
    if (labelAt < 0) {
      labelAt = fields.indexOf(label);
      probabilityAt = fields.indexOf(probability);
      if (labelAt < 0 || probabilityAt < 0) throw fail(`the header has no column '${labelAt < 0 ? label : probability}'`);
      continue;
    }
    const y = fields[labelAt] ?? '';
    const truth = y.trim() === '' ? NaN : Number(y);
    const p = Number(fields[probabilityAt]);
    if (!(p >= 0 && p <= 1)) throw fail(`line ${line}: ${probability} '${fields[probabilityAt] ?? ''}' is not a probability`);
    const bucket = Math.min(CONFUSION_BUCKETS - 1, Math.floor(p * CONFUSION_BUCKETS));
    if (truth === 1) positives[bucket]++;
    else if (truth === 0) negatives[bucket]++;
    else throw fail(`line ${line}: ${label} '${y}' is not 0 or 1`);
  }
  return { buckets: CONFUSION_BUCKETS, positives, negatives };
}
