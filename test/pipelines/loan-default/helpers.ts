// Shared set-up for the loan-default tests: run the real CLI in-process against the real
// pipeline, and write small raw credit-risk CSVs to feed it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsv } from '../../../src/data/index.ts';
import { loanDefaultCatalog } from '../../../src/cli/pipelineCatalog.ts';
import { generateSyntheticCreditRisk } from '../../../src/pipelines/loan-default/index.ts';
import { runCli, type CliResult } from '../../cli/helpers.ts';

export function sealed(argv: string[], cwd: string): Promise<CliResult> {
  return runCli(argv, { catalog: loanDefaultCatalog, cwd });
}

/** A raw CSV of `rows` synthetic applicants in the reference layout; returns its path. */
export function writeRawCsv(dir: string, name: string, rows: number, seed = 1): string {
  const path = join(dir, name);
  writeFileSync(path, formatCsv(generateSyntheticCreditRisk({ rows, seed })));
  return path;
}

export const RAW_HEADER =
  'person_age,person_income,person_home_ownership,person_emp_length,loan_intent,loan_grade,loan_amnt,loan_int_rate,loan_status,loan_percent_income,cb_person_default_on_file,cb_person_cred_hist_length';
