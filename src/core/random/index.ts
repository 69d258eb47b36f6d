export { Mt19937 } from './mt19937.ts';
export { RandomState, rejectionMask } from './randomState.ts';
