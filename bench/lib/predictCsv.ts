// bench:predict --whole-process input: the float64 test matrix of bench/lib/trainData.ts as the
// headerless feature CSV `sealed gbdt predict` reads (one row per line, NaN as an empty field),
// written once into bench/.cache by our matrix writer (shortest round-trip numbers) and reused.
import { existsSync } from 'node:fs';
import { writeMatrixCsv } from '../../src/data/index.ts';
import { readFloat64File } from './float64File.ts';
import type { TrainDataFiles } from './trainData.ts';

const VERSION = 1;

/** Path of the test features as CSV (made on first use, atomically). */
export async function ensureTestCsv(files: TrainDataFiles): Promise<string> {
  const path = files.xTest.replace(/\.x_test\.f64$/, `.x_test_v${VERSION}.csv`);
  if (existsSync(path)) return path;
  await writeMatrixCsv(readFloat64File(files.xTest), files.nTest, files.nCols, path);
  return path;
}
