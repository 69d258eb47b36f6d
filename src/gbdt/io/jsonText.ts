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
/** The longest fast-path float32 text: sign, 9 digits, '.', 'E', exponent sign and 2 digits. */
const FLOAT32_BYTES = 16;
/** The longest safe integer's text: sign and 16 digits. */
const INTEGER_BYTES = 17;

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
    // Keys and short values (a dozen per tree) are ASCII: copied as char codes, without the
    // Buffer object that Buffer#write needs for each call.
    if (s.length <= 64) {
      this.reserve(s.length);
      const b = this.buf;
      const at = this.len;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        b[at + i] = c;
      }
      if (i === s.length) {
        this.len = at + i;
        return;
      }
    }
    this.reserve(s.length * 3);
    this.len += Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength).write(s, this.len, 'utf8');
  }

  /** A safe integer (|n| < 2^53: at most 17 bytes with the sign). */
  integer(n: number): void {
    this.reserve(INTEGER_BYTES);
    this.integerReserved(n);
  }

  /** integer with INTEGER_BYTES already reserved. */
  integerReserved(n: number): void {
    const b = this.buf;
    let at = this.len;
    if ((n | 0) === n && n !== -2147483648) {
      // Node ids, feature indices, flags: int32 arithmetic. (-0 is 0 here, as below.)
      let v = n;
      if (v < 0) {
        b[at++] = MINUS;
        v = -v;
      }
      let digits = 1;
      for (let p = 10; p <= v && digits < 10; p *= 10) digits++;
      at += digits;
      this.len = at;
      do {
        const q = (v / 10) | 0;
        b[--at] = ZERO + v - q * 10;
        v = q;
      } while (v > 0);
      return;
    }
    if (n < 0) {
      b[at++] = MINUS;
      n = -n;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    at += digits;
    this.len = at;
    do {
      const q = Math.floor(n / 10);
      b[--at] = ZERO + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** formatFloat32's text of a finite float32 f, without building the string when it can. */
  float32(f: number): void {
    this.reserve(FLOAT32_BYTES);
    this.float32Reserved(f);
  }

  /**
   * float32 with FLOAT32_BYTES already reserved (a typed array reserves for all its values at
   * once). The digits (< 10^9) and the exponent (-45..38) are small integers: int32 arithmetic.
   */
  float32Reserved(f: number): void {
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
    const count = shortest.count;
    let digits = shortest.digits | 0;
    let at = this.len;
    if (f < 0) b[at++] = MINUS;
    const start = at;
    const end = count === 1 ? start + 1 : start + count + 1;
    for (let i = end - 1; i > start + 1; i--) {
      const q = (digits / 10) | 0;
      b[i] = ZERO + digits - q * 10;
      digits = q;
    }
    b[start] = ZERO + digits;
    if (count > 1) b[start + 1] = DOT;
    at = end;
    b[at++] = E;
    let exponent = shortest.exponent | 0;
    if (exponent < 0) {
      b[at++] = MINUS;
      exponent = -exponent;
    }
    if (exponent >= 10) {
      const q = (exponent / 10) | 0;
      b[at++] = ZERO + q;
      exponent -= q * 10;
    }
    b[at++] = ZERO + exponent;
    this.len = at;
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
  // Room for every value and its comma at once: no value's text is longer than the bytes
  // reserved for it (the exact path's float text reserves again, and is shorter too).
  if (t.kind === 'f32') {
    out.reserve(a.length * (FLOAT32_BYTES + 1));
    for (let i = 0; i < a.length; i++) {
      const f = Math.fround(a[i]);
      if (!Number.isFinite(f)) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path}[${i}]` });
      if (i > 0) out.buf[out.len++] = COMMA;
      out.float32Reserved(f);
    }
  } else {
    out.reserve(a.length * (INTEGER_BYTES + 1));
    for (let i = 0; i < a.length; i++) {
      const n = a[i];
      if (!Number.isSafeInteger(n)) checkInteger(n, `${path}[${i}]`);
      if (i > 0) out.buf[out.len++] = COMMA;
      out.integerReserved(n);
    }
  }
  out.byte(0x5d);
}

function checkInteger(n: number, path: string): void {
  if (!Number.isSafeInteger(n)) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path} (${n}, expected an integer)` });
}
