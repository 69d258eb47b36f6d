// batch-inference's report.csv: scikit-learn's classification_report as a DataFrame written to
// CSV, i.e. a header `,precision,recall,f1-score,support` and one row per class, then accuracy,
// macro avg and weighted avg.
import { splitRecord } from '../../data/index.ts';
import type { RunMetrics } from '../api/contract.ts';

const COLUMNS = ['precision', 'recall', 'f1-score', 'support'] as const;

/** The report's rows; `fail(reason)` makes the error naming the file. */
export function parseClassificationReport(text: string, fail: (reason: string) => Error): RunMetrics['report'] {
  const bytes = Buffer.from(text, 'utf8');
  const records: string[][] = [];
  for (let p = 0; p < bytes.length; ) {
    const record = splitRecord(bytes, p, bytes.length, true);
    if (record === null || record === 'unterminated') throw fail('a quoted field is not closed');
    if (record.fields.some((f) => f !== '')) records.push(record.fields);
    p = record.next;
  }
  const [header, ...rows] = records;
  if (!header) throw fail('the file is empty');
  const at = COLUMNS.map((c) => header.indexOf(c));
  const missing = COLUMNS.filter((_, i) => at[i] < 1);
  if (missing.length > 0) throw fail(`no column ${missing.join(', ')} in the header`);
  return rows.map((row, i) => {
    const [precision, recall, f1, support] = at.map((col, j) => {
      const value = Number(row[col]);
      if (row[col] === undefined || row[col].trim() === '' || !Number.isFinite(value)) throw fail(`row ${i + 2}: ${COLUMNS[j]} '${row[col] ?? ''}' is not a number`);
      return value;
    });
    return { label: row[0], precision, recall, f1, support };
  });
}
