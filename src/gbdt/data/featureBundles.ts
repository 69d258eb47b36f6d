// Exclusive feature bundling (LightGBM's EFB, restricted to two-bin features without missing
// values). One-hot columns never have two non-default values in the same row, so they can
// share one stored column whose value names the member that is non-default (or none). A
// histogram then takes one update per bundle instead of one per member, and a member's two
// bins come back as (its bundle slot, node total minus that slot). Only features that are
// exactly exclusive on the training rows are bundled, so every split found is one XGBoost
// could find on the unbundled matrix. The loan-default matrix has 19 one-hot columns in 4
// groups: its rows shrink from 26 stored bins to 11.
import type { BinArray } from './binnedMatrix.ts';

/** Largest bundle: members plus the "all default" value must fit one byte. */
export const MAX_BUNDLE_MEMBERS = 255;

export interface BundleInput {
  readonly bins: BinArray;
  readonly nRows: number;
  readonly nCols: number;
  readonly nBins: Uint32Array;
  readonly missingIn: Uint8Array;
}

export interface FeatureBundles {
  /** Groups of at least two features, each in ascending feature order. */
  readonly groups: readonly (readonly number[])[];
  /** The more frequent bin of each bundled feature (0 or 1); 0 for the others. */
  readonly defaultBin: Uint8Array;
}

export function findBundles(m: BundleInput): FeatureBundles {
  const { bins, nRows, nCols, nBins, missingIn } = m;
  const defaultBin = new Uint8Array(nCols);
  const open: { members: number[]; used: Uint8Array }[] = [];
  for (let f = 0; f < nCols; f++) {
    if (nBins[f] !== 2 || missingIn[f]) continue;
    const ones = sumColumn(bins, nRows, nCols, f);
    defaultBin[f] = ones * 2 > nRows ? 1 : 0;
    const rows = nonDefaultRows(bins, nRows, nCols, f, defaultBin[f], nRows - (defaultBin[f] ? ones : nRows - ones));
    let home = open.find((b) => b.members.length < MAX_BUNDLE_MEMBERS && noneUsed(b.used, rows));
    if (!home) {
      home = { members: [], used: new Uint8Array(nRows) };
      open.push(home);
    }
    home.members.push(f);
    markUsed(home.used, rows);
  }
  return { groups: open.filter((b) => b.members.length > 1).map((b) => b.members), defaultBin };
}

// The per-row loops are small functions of their own: compiled once and kept (inline in the
// per-feature loop above, V8 recompiled them feature after feature).

function sumColumn(bins: BinArray, nRows: number, nCols: number, f: number): number {
  let sum = 0;
  for (let r = 0, i = f; r < nRows; r++, i += nCols) sum += bins[i];
  return sum;
}

function noneUsed(used: Uint8Array, rows: Uint32Array): boolean {
  for (let k = 0; k < rows.length; k++) if (used[rows[k]] !== 0) return false;
  return true;
}

function markUsed(used: Uint8Array, rows: Uint32Array): void {
  for (let k = 0; k < rows.length; k++) used[rows[k]] = 1;
}

function nonDefaultRows(bins: BinArray, nRows: number, nCols: number, f: number, def: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let k = 0;
  for (let r = 0, i = f; r < nRows; r++, i += nCols) if (bins[i] !== def) out[k++] = r;
  return out;
}
