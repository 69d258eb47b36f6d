// scikit-learn's `_validate_shuffle_split` for a fractional test size and no train size:
// n_test = ceil(test_size * n), n_train = n - n_test, and both must be non-empty.
import { DataError, UsageError } from '../../core/index.ts';

export interface SplitOptions {
  /** Fraction of rows (or groups) for the test side, strictly between 0 and 1. Default 0.25. */
  testSize?: number;
  /** Seed of the numpy-compatible permutation (sklearn's `random_state`). Default 0. */
  seed?: number;
}

export interface SplitIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError('split.badSeed', { value: String(seed) });
  }
  return seed;
}

export function splitSizes(count: number, testSize: number, what: string): { nTrain: number; nTest: number } {
  if (typeof testSize !== 'number' || !(testSize > 0 && testSize < 1)) {
    throw new UsageError('split.badTestSize', { value: String(testSize) });
  }
  const nTest = Math.ceil(testSize * count);
  const nTrain = count - nTest;
  if (nTrain <= 0 || nTest <= 0) throw new DataError('split.tooFewRows', { what, count, testSize, nTest });
  return { nTrain, nTest };
}
