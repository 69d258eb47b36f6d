// scikit-learn's `train_test_split(X, y, test_size, random_state=seed)` without stratification:
// ShuffleSplit draws one numpy RandomState(seed).permutation(n); its first n_test entries are
// the test rows and the next n_train the train rows, both in permutation order.
import { RandomState } from '../../core/index.ts';
import { checkSeed, splitSizes, type SplitIndices, type SplitOptions } from './splitSizes.ts';

export function trainTestSplit(nRows: number, options: SplitOptions = {}): SplitIndices {
  const { nTrain, nTest } = splitSizes(nRows, options.testSize ?? 0.25, 'rows');
  const perm = new RandomState(checkSeed(options.seed ?? 0)).permutation(nRows);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest, nTest + nTrain) };
}
