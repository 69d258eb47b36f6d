// Field texts read as missing, in every column. The default is pandas' read_csv default set,
// so a file means the same thing to us as to the reference pipeline. Quoting does not protect a
// token ("NA" quoted is still missing), as in pandas.
export const DEFAULT_NA_VALUES: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'n/a', 'nan', 'null',
];
