// The benchmarks' float64 matrices (bench/lib/trainData.ts) as typed arrays.
import { readFileSync } from 'node:fs';

/** A view of the file's bytes when aligned (large reads are), so peak memory is not inflated by a copy. */
export function readFloat64File(path: string): Float64Array {
  const b = readFileSync(path);
  return b.byteOffset % 8 === 0 ? new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8) : new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
