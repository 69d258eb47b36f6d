export { Mt19937 } from './mt19937.ts';
export { RandomState } from './randomState.ts';
