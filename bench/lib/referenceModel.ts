// The model bench:predict scores with: our engine trained with the reference kit's parameters
// (500 rounds, depth 10) on the 1M-row training matrix, saved as XGBoost JSON in bench/.cache
// (Python XGBoost loads the same file). Trained once, by a child process, then reused.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../test/helpers/sharedData.ts';
import { benchCacheDir } from './paths.ts';
import { runJson } from './spawnJson.ts';
import type { TrainDataFiles } from './trainData.ts';

const VERSION = 1;

/** The reference kit's training parameters (bench/reference/loan_default_reference.py). */
export const REFERENCE_PARAMS = {
  objective: 'binary:logistic',
  tree_method: 'hist',
  max_depth: 10,
  min_child_weight: 6,
  eta: 0.02,
  max_bin: 256,
};

export function ensureReferenceModel(files: TrainDataFiles, rounds = 500): string {
  const path = join(benchCacheDir(), `model_${files.nTrain}_${files.source}_${rounds}_v${VERSION}.json`);
  if (existsSync(path)) return path;
  runJson(process.execPath, [
    '--import', 'tsx', join(repoRoot, 'bench/lib/trainOurs.ts'),
    files.xTrain, files.yTrain, files.xTest, files.yTest, String(files.nCols), '2', JSON.stringify(REFERENCE_PARAMS), String(rounds), path,
  ], 1_800_000);
  return path;
}
