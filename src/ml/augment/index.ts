// Public API of augmentation: grow a table to a requested row count with seeded noise.
export { augmentRows, type AugmentOptions, type AugmentResult } from './augment.ts';
export type { AugmentSpec, Perturbation, IntegerNoise, NormalNoise, CategoryResample } from './spec.ts';
