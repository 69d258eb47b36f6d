// Public API of the ml layer: train/test splitting, scikit-learn-identical preprocessing and
// metrics. Depends on core and data only.
export * from './split/index.ts';
export * from './preprocess/index.ts';
export * from './metrics/index.ts';
export * from './augment/index.ts';
