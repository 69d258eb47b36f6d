// Encodes a model document as JSON text exactly as XGBoost's JsonWriter does: no whitespace,
// keys sorted, integers plainly and floats as their shortest float32 text ("5E-1"). Assembled
// by hand because JSON.stringify cannot print XGBoost's float style. Written as bytes: a 500-tree
// model is millions of numbers, and a string per number (then joined) cost more than the
// formatting; digits go straight into a growing buffer.
import { ModelError } from '../../core/index.ts';
import { sortedKeys, TypedValues, type DocValue } from './document.ts';
import { formatFloat32Exact, shortest, shortestFloat32 } from './float32Text.ts';

const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const E = 0x45;

/** A growing byte buffer of UTF-8 text. */
class JsonBytes {
  buf = new Uint8Array(1 << 16);
  len = 0;

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.len++] = c;
  }

  /** Any text, UTF-8 encoded. */
  text(s: string): void {
    this.reserve(s.length * 3);
    this.len += Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength).write(s, this.len, 'utf8');
  }

  /** A safe integer (|n| < 2^53: at most 17 bytes with the sign). */
  integer(n: number): void {
    this.reserve(17);
    const b = this.buf;
    if (n < 0) {
      b[this.len++] = MINUS;
      n = -n;
    }
    if (n < 10) {
      b[this.len++] = ZERO + n;
      return;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    let at = this.len + digits;
    this.len = at;
    do {
      const q = Math.floor(n / 10);
      b[--at] = ZERO + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** formatFloat32's text of a finite float32 f, without building the string when it can. */
  float32(f: number): void {
    this.reserve(16);
    const b = this.buf;
    if (f === 0) {
      // Every leaf's loss_change: "0E0" (or "-0E0").
      if (Object.is(f, -0)) b[this.len++] = MINUS;
      b[this.len++] = ZERO;
      b[this.len++] = E;
      b[this.len++] = ZERO;
      return;
    }
    if (!shortestFloat32(f)) {
      this.text(formatFloat32Exact(f));
      return;
    }
    // toExponential's layout: first digit, '.', the other count - 1 digits (none: no '.'), 'E', exponent.
    const { count, exponent } = shortest;
    let digits = shortest.digits;
    if (f < 0) b[this.len++] = MINUS;
    const start = this.len;
    const end = count === 1 ? start + 1 : start + count + 1;
    for (let at = end - 1; at > start + 1; at--) {
      const q = Math.floor(digits / 10);
      b[at] = ZERO + (digits - q * 10);
      digits = q;
    }
    b[start] = ZERO + digits;
    if (count > 1) b[start + 1] = DOT;
    this.len = end;
    b[this.len++] = E;
    this.integer(exponent);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** The document's JSON text as UTF-8 bytes. */
export function documentToJsonBytes(doc: DocValue): Uint8Array {
  const out = new JsonBytes();
  write(doc, '', out);
  return out.bytes();
}

export function documentToJson(doc: DocValue): string {
  const bytes = documentToJsonBytes(doc);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function write(v: DocValue, path: string, out: JsonBytes): void {
  if (typeof v === 'string') out.text(JSON.stringify(v));
  else if (typeof v === 'number') {
    checkInteger(v, path);
    out.integer(v);
  } else if (typeof v === 'boolean') out.text(v ? 'true' : 'false');
  else if (v instanceof TypedValues) writeTyped(v, path, out);
  else if (Array.isArray(v)) {
    out.byte(0x5b);
    (v as readonly DocValue[]).forEach((e, i) => {
      if (i > 0) out.byte(COMMA);
      write(e, `${path}[${i}]`, out);
    });
    out.byte(0x5d);
  } else {
    const o = v as Readonly<Record<string, DocValue>>;
    out.byte(0x7b);
    sortedKeys(o).forEach((k, i) => {
      if (i > 0) out.byte(COMMA);
      out.text(JSON.stringify(k));
      out.byte(0x3a);
      write(o[k], path === '' ? k : `${path}.${k}`, out);
    });
    out.byte(0x7d);
  }
}

function writeTyped(t: TypedValues, path: string, out: JsonBytes): void {
  const a = t.values;
  out.byte(0x5b);
  // The element's path is only spelled out for the error (building it per value cost more than
  // formatting the value).
  if (t.kind === 'f32') {
    for (let i = 0; i < a.length; i++) {
      const f = Math.fround(a[i]);
      if (!Number.isFinite(f)) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path}[${i}]` });
      if (i > 0) out.byte(COMMA);
      out.float32(f);
    }
  } else {
    for (let i = 0; i < a.length; i++) {
      const n = a[i];
      if (!Number.isSafeInteger(n)) checkInteger(n, `${path}[${i}]`);
      if (i > 0) out.byte(COMMA);
      out.integer(n);
    }
  }
  out.byte(0x5d);
}

function checkInteger(n: number, path: string): void {
  if (!Number.isSafeInteger(n)) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path} (${n}, expected an integer)` });
}
