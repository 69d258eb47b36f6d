// scikit-learn's `GroupShuffleSplit(n_splits=1, test_size, random_state=seed)`: the distinct
// group labels, sorted, are shuffled like rows in `trainTestSplit`, the first ceil(test_size *
// n_groups) go to test, and every row follows its group. Rows keep ascending order on both
// sides (sklearn's `np.flatnonzero`). Used to keep augmented near-copies of one source row on
// one side of the split, which the faithful split leaks across.
import { RandomState, UsageError } from '../../core/index.ts';
import { checkSeed, splitSizes, type SplitIndices, type SplitOptions } from './splitSizes.ts';

export function groupedTrainTestSplit(groups: Int32Array | readonly number[], options: SplitOptions = {}): SplitIndices {
  for (let i = 0; i < groups.length; i++) {
    if (!Number.isInteger(groups[i])) throw new UsageError('split.badGroup', { row: i, value: String(groups[i]) });
  }
  // np.unique(groups, return_inverse=True): sorted distinct labels and each row's rank among them
  const distinct = Float64Array.from(new Set(Array.from(groups))).sort();
  const rank = new Map<number, number>();
  distinct.forEach((g, k) => rank.set(g, k));

  const { nTrain, nTest } = splitSizes(distinct.length, options.testSize ?? 0.25, 'groups');
  const perm = new RandomState(checkSeed(options.seed ?? 0)).permutation(distinct.length);
  const side = new Int8Array(distinct.length); // 0 unused, 1 test, 2 train
  for (let k = 0; k < nTest; k++) side[perm[k]] = 1;
  for (let k = nTest; k < nTest + nTrain; k++) side[perm[k]] = 2;

  let testCount = 0;
  for (let i = 0; i < groups.length; i++) if (side[rank.get(groups[i]) as number] === 1) testCount++;
  const test = new Int32Array(testCount);
  const train = new Int32Array(groups.length - testCount);
  for (let i = 0, a = 0, b = 0; i < groups.length; i++) {
    if (side[rank.get(groups[i]) as number] === 1) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}
