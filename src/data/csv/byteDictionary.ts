// Maps field bytes to dictionary codes without creating a JS string per field: categorical
// columns repeat a handful of values millions of times, so hashing the bytes and comparing
// against stored keys is far cheaper than decoding every field. A string is decoded only when
// a value is seen for the first time.
import { MISSING_CODE } from '../column.ts';

export class ByteDictionary {
  /** Decoded values in first-seen order; index = code. */
  readonly values: string[] = [];
  private slots: Int32Array = new Int32Array(64); // entry index + 1; 0 = empty
  private keyHash: Int32Array = new Int32Array(16);
  private keyStart: Int32Array = new Int32Array(16);
  private keyLen: Int32Array = new Int32Array(16);
  private keyCode: Int32Array = new Int32Array(16);
  private arena: Uint8Array = new Uint8Array(256);
  private arenaUsed = 0;
  private count = 0;

  /** Pre-registers texts that mean "missing" so they map to MISSING_CODE at full speed. */
  addMissingTokens(tokens: readonly string[]): void {
    for (const t of tokens) {
      const b = Buffer.from(t, 'utf8');
      if (this.find(b, 0, b.length, hashBytes(b, 0, b.length)) < 0) this.insert(b, 0, b.length, MISSING_CODE);
    }
  }

  /** Adds a value with the next code unless present; returns its code. */
  addValue(value: string): number {
    const b = Buffer.from(value, 'utf8');
    return this.codeOf(b, 0, b.length);
  }

  /** Code of bytes [start, end), adding the value when new. */
  codeOf(b: Uint8Array, start: number, end: number): number {
    return this.codeOfHashed(b, start, end, hashBytes(b, start, end));
  }

  /** As codeOf, with h = hashBytes(b, start, end) already computed (see HASH_SEED/hashStep). */
  codeOfHashed(b: Uint8Array, start: number, end: number, h: number): number {
    const entry = this.find(b, start, end, h);
    if (entry >= 0) return this.keyCode[entry];
    const code = this.values.length;
    this.values.push(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
    this.insert(b, start, end, code, h);
    return code;
  }

  /** Code of bytes [start, end), or -2 when the value is not in the dictionary. */
  lookup(b: Uint8Array, start: number, end: number): number {
    return this.lookupHashed(b, start, end, hashBytes(b, start, end));
  }

  lookupHashed(b: Uint8Array, start: number, end: number, h: number): number {
    const entry = this.find(b, start, end, h);
    return entry >= 0 ? this.keyCode[entry] : -2;
  }

  private find(b: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const idx = slots[s] - 1;
      if (idx < 0) return -1;
      if (this.keyHash[idx] !== h || this.keyLen[idx] !== len) continue;
      const a = this.arena;
      let p = this.keyStart[idx];
      let i = start;
      while (i < end && a[p] === b[i]) {
        p++;
        i++;
      }
      if (i === end) return idx;
    }
  }

  private insert(b: Uint8Array, start: number, end: number, code: number, h = hashBytes(b, start, end)): void {
    const len = end - start;
    const idx = this.count++;
    if (idx === this.keyHash.length) {
      this.keyHash = grow(this.keyHash);
      this.keyStart = grow(this.keyStart);
      this.keyLen = grow(this.keyLen);
      this.keyCode = grow(this.keyCode);
    }
    if (this.arenaUsed + len > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      a.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = a;
    }
    this.arena.set(b.subarray(start, end), this.arenaUsed);
    this.keyHash[idx] = h;
    this.keyStart[idx] = this.arenaUsed;
    this.keyLen[idx] = len;
    this.keyCode[idx] = code;
    this.arenaUsed += len;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.place(idx);
  }

  private place(idx: number): void {
    const mask = this.slots.length - 1;
    let s = this.keyHash[idx] & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = idx + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let i = 0; i < this.count; i++) this.place(i);
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

// FNV-1a over the bytes, finished with a multiply so short keys spread over the low bits.
// The steps are exported so the parser can hash a field while scanning it.
export const HASH_SEED = 0x811c9dc5 | 0;
export const HASH_PRIME = 16777619;

export function hashFinish(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
}

export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], HASH_PRIME);
  return hashFinish(h);
}
