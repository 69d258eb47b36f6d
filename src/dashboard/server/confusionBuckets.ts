// The predictions bucketed for the confusion matrix at any threshold: for each of 1000 equal
// probability ranges on [0, 1], how many true positives and true negatives fall in it. The
// file (250,000 rows at full size) is streamed line by line, never held whole; the chunks may
// come from a plain file or a sealed artifact being decrypted (storedArtifacts.ts).
import { StringDecoder } from 'node:string_decoder';
import type { ConfusionSource } from '../api/contract.ts';
import { readParquetTable } from '../../data/parquet/index.ts';
import { METRICS_LAYOUT } from './metricsLayout.ts';
import { openParquetContent } from './parquetPage.ts';

export const CONFUSION_BUCKETS = 1000;
/** A prediction line is two numbers and a few more columns; a longer one is not a predictions file. */
const MAX_LINE_CHARS = 64 * 1024;

/** `fail(reason)` makes the error naming the file. */
export async function confusionBuckets(chunks: AsyncIterable<Uint8Array>, fail: (reason: string) => Error): Promise<ConfusionSource> {
  const positives = new Array<number>(CONFUSION_BUCKETS).fill(0);
  const negatives = new Array<number>(CONFUSION_BUCKETS).fill(0);
  const { label, probability } = METRICS_LAYOUT.predictionColumns;
  let labelAt = -1;
  let probabilityAt = -1;
  let line = 0;
  const take = (text: string): void => {
    line++;
    if (text === '') return;
    const fields = text.split(',');
    if (labelAt < 0) {
      labelAt = fields.indexOf(label);
      probabilityAt = fields.indexOf(probability);
      if (labelAt < 0 || probabilityAt < 0) throw fail(`the header has no column '${labelAt < 0 ? label : probability}'`);
      return;
    }
    const y = fields[labelAt] ?? '';
    const truth = y.trim() === '' ? NaN : Number(y);
    const p = Number(fields[probabilityAt]);
    if (!(p >= 0 && p <= 1)) throw fail(`line ${line}: ${probability} '${fields[probabilityAt] ?? ''}' is not a probability`);
    const bucket = Math.min(CONFUSION_BUCKETS - 1, Math.floor(p * CONFUSION_BUCKETS));
    if (truth === 1) positives[bucket]++;
    else if (truth === 0) negatives[bucket]++;
    else throw fail(`line ${line}: ${label} '${y}' is not 0 or 1`);
  };
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    // CR LF, LF or a lone CR end a line (a CR LF cut between two chunks adds one blank line, which is skipped).
    const lines = text.split(/\r\n|\r|\n/);
    rest = lines.pop() ?? '';
    for (const l of lines) take(l);
    if (rest.length > MAX_LINE_CHARS) throw fail(`line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`);
  }
  rest += decoder.end();
  if (rest !== '') take(rest);
  return { buckets: CONFUSION_BUCKETS, positives, negatives };
}

/** The same buckets from a Parquet predictions file (artifact_format=parquet), read whole and checked (parquetPage.ts). */
export async function confusionBucketsParquet(chunks: () => AsyncIterable<Uint8Array>, file: string, size: number, fail: (reason: string) => Error): Promise<ConfusionSource> {
  const positives = new Array<number>(CONFUSION_BUCKETS).fill(0);
  const negatives = new Array<number>(CONFUSION_BUCKETS).fill(0);
  const { label, probability } = METRICS_LAYOUT.predictionColumns;
  const pf = await openParquetContent(chunks, file, size);
  const t = await readParquetTable(pf, { schema: { columns: [{ name: label, type: 'number' }, { name: probability, type: 'number' }] } });
  const ys = t.numeric(label).values;
  const ps = t.numeric(probability).values;
  for (let i = 0; i < ys.length; i++) {
    const p = ps[i];
    if (!(p >= 0 && p <= 1)) throw fail(`row ${i + 1}: ${probability} '${p}' is not a probability`);
    const bucket = Math.min(CONFUSION_BUCKETS - 1, Math.floor(p * CONFUSION_BUCKETS));
    if (ys[i] === 1) positives[bucket]++;
    else if (ys[i] === 0) negatives[bucket]++;
    else throw fail(`row ${i + 1}: ${label} '${ys[i]}' is not 0 or 1`);
  }
  return { buckets: CONFUSION_BUCKETS, positives, negatives };
}
