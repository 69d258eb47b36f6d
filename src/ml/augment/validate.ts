// Checks a spec against the table before any work: every named column exists with the kind
// its perturbation needs, the label is left alone, and the parameters make sense.
import { UsageError } from '../../core/errors.ts';
import type { Table } from '../../data/table.ts';
import type { AugmentSpec } from './spec.ts';

export function validateAugmentSpec(table: Table, spec: AugmentSpec, label: string): void {
  if (!table.has(label)) throw new UsageError('augment.unknownColumn', { column: label });
  const named = new Set<string>();
  for (const p of spec.perturbations) {
    const column = p.column;
    const bad = (problem: string) => new UsageError('augment.badSpec', { column, problem });
    if (!table.has(column)) throw new UsageError('augment.unknownColumn', { column });
    if (column === label) throw new UsageError('augment.labelPerturbed', { column });
    if (named.has(column)) throw bad('the column is listed twice');
    named.add(column);
    const kind = table.column(column).kind;
    if (p.kind === 'resampleCategory') {
      if (kind !== 'categorical') throw new UsageError('augment.wrongColumnKind', { column, expected: 'categorical' });
      if (!(p.probability >= 0 && p.probability <= 1)) throw bad(`probability ${p.probability} is not in [0, 1]`);
      continue;
    }
    if (kind !== 'numeric') throw new UsageError('augment.wrongColumnKind', { column, expected: 'numeric' });
    if (p.kind === 'integerNoise') {
      if (!Number.isSafeInteger(p.low) || !Number.isSafeInteger(p.high) || p.low >= p.high || p.high - p.low > 0x100000000) {
        throw bad(`integer range [${p.low}, ${p.high}) must hold 1 to 2^32 integers`);
      }
      if (p.divisor !== undefined && !(Number.isFinite(p.divisor) && p.divisor > 0)) throw bad(`divisor ${p.divisor} must be a positive number`);
    } else if (!(Number.isFinite(p.mean) && Number.isFinite(p.std) && p.std >= 0)) {
      throw bad(`normal(${p.mean}, ${p.std}) needs a finite mean and a non-negative finite std`);
    }
  }
}
