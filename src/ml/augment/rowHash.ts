// Finds exact duplicate rows without building strings: each row is hashed from its values'
// bit patterns into an open-addressing table, and equal hashes are confirmed value by value.
// Equality follows pandas `drop_duplicates`: NaN equals NaN, and -0 equals 0.
import type { Column } from '../../data/column.ts';

const NAN_HI = 0x7ff80000;
const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x5bd1e995);
  return h ^ (h >>> 15);
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function hashRow(columns: readonly Column[], row: number): number {
  let h = 0x9747b28c;
  for (const c of columns) {
    if (c.kind === 'categorical') {
      h = mix(h, c.codes[row]);
      continue;
    }
    const v = c.values[row];
    if (v !== v) {
      h = mix(mix(h, 0), NAN_HI);
    } else if (v === 0) {
      h = mix(mix(h, 0), 0);
    } else {
      scratch[0] = v;
      h = mix(mix(h, scratchBits[0]), scratchBits[1]);
    }
  }
  return finish(h);
}

export function rowsEqual(columns: readonly Column[], a: number, b: number): boolean {
  for (const c of columns) {
    if (c.kind === 'categorical') {
      if (c.codes[a] !== c.codes[b]) return false;
      continue;
    }
    const x = c.values[a];
    const y = c.values[b];
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

/**
 * hashRow for every row, a column at a time (one tight loop per column instead of a dispatch
 * per cell): the same values as hashRow, so a row rehashed later lands where it would have.
 */
export function hashRows(columns: readonly Column[], numRows: number): Int32Array {
  const h = new Int32Array(numRows).fill(0x9747b28c | 0);
  for (const c of columns) {
    if (c.kind === 'categorical') {
      const codes = c.codes;
      for (let i = 0; i < numRows; i++) h[i] = mix(h[i], codes[i]);
      continue;
    }
    const v = c.values;
    const bits = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
    for (let i = 0; i < numRows; i++) {
      const x = v[i];
      if (x !== x) h[i] = mix(mix(h[i], 0), NAN_HI);
      else if (x === 0) h[i] = mix(mix(h[i], 0), 0);
      else h[i] = mix(mix(h[i], bits[2 * i]), bits[2 * i + 1]);
    }
  }
  for (let i = 0; i < numRows; i++) h[i] = finish(h[i]) | 0;
  return h;
}

/** A set of row indices of one table, keyed by row content. */
export class RowSet {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Each row's hash, all computed up front; `rehash` refreshes a row whose values changed. */
  private readonly hashes: Int32Array;

  constructor(
    private readonly columns: readonly Column[],
    numRows: number,
  ) {
    let size = 16;
    while (size < numRows * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.hashes = hashRows(columns, numRows);
  }

  /** Recomputes the hash of a row not yet added whose values were redrawn. */
  rehash(row: number): void {
    this.hashes[row] = hashRow(this.columns, row) | 0;
  }

  /** Adds `row` unless an equal row is present; returns whether it was added. */
  add(row: number): boolean {
    const h = this.hashes[row];
    let slot = h & this.mask;
    for (;;) {
      const other = this.slots[slot];
      if (other === -1) break;
      if (this.hashes[other] === h && rowsEqual(this.columns, other, row)) return false;
      slot = (slot + 1) & this.mask;
    }
    this.slots[slot] = row;
    return true;
  }
}
