// Typed access to a parsed XGBoost model document (from JSON text or UBJSON), so every check
// reports the same way: a ModelError naming the file, the field path and what was wrong.
// Arrays may be plain arrays (JSON) or typed arrays (UBJSON's optimised containers).
import { ModelError, type Location } from '../../core/index.ts';

export type DocObject = Record<string, unknown>;
export type ModelFormatName = 'JSON' | 'UBJSON';

export class DocReader {
  constructor(
    readonly format: ModelFormatName,
    readonly file?: string,
  ) {}

  /** The document root is field '' — not worth printing as a field. */
  at(field: string): Location {
    const where: Location = field === '' ? {} : { field };
    return this.file === undefined ? where : { ...where, file: this.file };
  }

  invalid(field: string, reason: string): never {
    throw new ModelError('gbdt.modelInvalid', { reason, format: this.format }, { location: this.at(field) });
  }

  unsupported(field: string, what: string): never {
    throw new ModelError('gbdt.modelUnsupported', { what }, { location: this.at(field) });
  }

  obj(v: unknown, field: string): DocObject {
    return isDocObject(v) ? v : this.invalid(field, `expected an object, got ${describe(v)}`);
  }

  list(v: unknown, field: string): ArrayLike<unknown> {
    return isDocArray(v) ? v : this.invalid(field, `expected an array, got ${describe(v)}`);
  }

  str(v: unknown, field: string): string {
    return typeof v === 'string' ? v : this.invalid(field, `expected a string, got ${describe(v)}`);
  }

  /** A number, or a string holding one (XGBoost saves parameters as strings). */
  num(v: unknown, field: string): number {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : this.invalid(field, `expected a number, got ${describe(v)}`);
  }

  int(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const n = this.num(v, field);
    return Number.isInteger(n) && n >= min && n <= max
      ? n
      : this.invalid(field, `expected an integer in [${min}, ${max}], got ${describe(v)}`);
  }
}

export function isDocObject(v: unknown): v is DocObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

export function isDocArray(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Short description of a value for messages (never the whole of a large value). */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (isDocArray(v)) return `an array of ${v.length}`;
  if (isDocObject(v)) return 'an object';
  if (typeof v === 'number') return String(v);
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
