// The reference pipeline's report file: pandas
//   pd.DataFrame(classification_report(..., output_dict=True)).transpose().to_csv()
// Header `,precision,recall,f1-score,support`; one line per row with the row name as index;
// the accuracy row repeats the accuracy in all four cells (pandas broadcasts the scalar);
// every cell is a float64 written as Python's repr (so supports read `6482.0`); `\n` endings.
import type { ClassificationReport, ReportScores } from './classificationReport.ts';
import { pythonFloatRepr } from './pythonFloatRepr.ts';

/** csv.writer's QUOTE_MINIMAL for a field. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function line(name: string, cells: readonly number[]): string {
  return [csvField(name), ...cells.map(pythonFloatRepr)].join(',') + '\n';
}

const cellsOf = (s: ReportScores) => [s.precision, s.recall, s['f1-score'], s.support];

export function formatClassificationReportCsv(report: ClassificationReport): string {
  let out = ',precision,recall,f1-score,support\n';
  for (const c of report.classes) out += line(c.name, cellsOf(c));
  if (report.accuracy !== undefined) out += line('accuracy', [report.accuracy, report.accuracy, report.accuracy, report.accuracy]);
  if (report.microAvg) out += line('micro avg', cellsOf(report.microAvg));
  out += line('macro avg', cellsOf(report.macroAvg));
  out += line('weighted avg', cellsOf(report.weightedAvg));
  return out;
}
