// Public API of train/test splitting: scikit-learn-identical row and group splits.
export { trainTestSplit } from './trainTestSplit.ts';
export { groupedTrainTestSplit } from './groupedTrainTestSplit.ts';
export type { SplitIndices, SplitOptions } from './splitSizes.ts';
