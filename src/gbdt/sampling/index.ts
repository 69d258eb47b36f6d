// Row and column sampling for tree growing (subsample, colsample_*).
export { RowSampler } from './rowSampler.ts';
export { ColumnSampler, type ColsampleRates } from './columnSampler.ts';
