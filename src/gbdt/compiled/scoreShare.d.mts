import type { BlockExports, ForestLayout } from './wasmForest.ts';

export const BLOCK_ROWS: number;
export const CHUNK_ROWS: number;
export const SCORE_CTL: { readonly seq: 0; readonly rowsAt: 1; readonly marginsAt: 2; readonly rows: 3; readonly next: 4; readonly done: 5; readonly failed: 6; readonly chunkFrom: 7; readonly chunkTo: 8 };
export const SCORE_CTL_LENGTH: number;
export function scoreRows(loop: BlockExports, layout: ForestLayout, rowsAt: number, marginsAt: number, nidsAt: number, from: number, to: number, c0: number, c1: number): void;
export function firstClaim(seq: number): number;
export function claimAndScore(ctl: Int32Array, loop: BlockExports, layout: ForestLayout, nidsAt: number, seq: number): void;
