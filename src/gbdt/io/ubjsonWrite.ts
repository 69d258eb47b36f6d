// Encodes a model document as UBJSON byte for byte as XGBoost 1.7's UBJWriter does
// (src/common/json.cc): objects as '{' then (key, value) pairs in sorted key order and '}',
// keys and strings with an int64 ('L') length, plain arrays as '[#L<n>' then the elements
// (no ']'), typed arrays as '[$<type>#L<n>' then the raw big-endian values, and integers in
// the smallest of i/I/l/L whose open range holds them (XGBoost compares with > and <, so
// 127 is written as 'I').
import { ModelError } from '../../core/index.ts';
import { sortedKeys, TypedValues, type DocValue } from './document.ts';

const TYPE_MARKER = { f32: 'd', i32: 'l', i64: 'L', u8: 'U' } as const;
const ELEMENT_SIZE = { f32: 4, i32: 4, i64: 8, u8: 1 } as const;

export function encodeUbjson(doc: DocValue): Uint8Array {
  const sink = new ByteSink();
  write(doc, '', sink);
  return sink.bytes();
}

function write(v: DocValue, path: string, s: ByteSink): void {
  if (typeof v === 'string') {
    s.char('S');
    s.text(v);
  } else if (typeof v === 'number') {
    integer(v, path, s);
  } else if (typeof v === 'boolean') {
    s.char(v ? 'T' : 'F');
  } else if (v instanceof TypedValues) {
    typed(v, path, s);
  } else if (Array.isArray(v)) {
    const a = v as readonly DocValue[];
    s.char('[');
    s.count(a.length);
    a.forEach((e, i) => write(e, `${path}[${i}]`, s));
  } else {
    const o = v as Readonly<Record<string, DocValue>>;
    s.char('{');
    for (const k of sortedKeys(o)) {
      s.text(k);
      write(o[k], path === '' ? k : `${path}.${k}`, s);
    }
    s.char('}');
  }
}

function integer(n: number, path: string, s: ByteSink): void {
  if (!Number.isSafeInteger(n)) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path} (${n}, expected an integer)` });
  if (n > -128 && n < 127) {
    s.char('i');
    s.view(1).setInt8(s.at, n);
  } else if (n > -32768 && n < 32767) {
    s.char('I');
    s.view(2).setInt16(s.at, n);
  } else if (n > -2147483648 && n < 2147483647) {
    s.char('l');
    s.view(4).setInt32(s.at, n);
  } else {
    s.char('L');
    s.int64(n);
  }
  s.advance();
}

function typed(t: TypedValues, path: string, s: ByteSink): void {
  const a = t.values;
  const n = a.length;
  s.char('[');
  s.char('$');
  s.char(TYPE_MARKER[t.kind]);
  s.count(n);
  const view = s.view(n * ELEMENT_SIZE[t.kind]);
  const at = s.at;
  switch (t.kind) {
    case 'f32':
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(Math.fround(a[i]))) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path}[${i}]` });
        view.setFloat32(at + 4 * i, a[i]);
      }
      break;
    case 'i32':
      for (let i = 0; i < n; i++) view.setInt32(at + 4 * i, a[i]);
      break;
    case 'i64':
      for (let i = 0; i < n; i++) view.setBigInt64(at + 8 * i, BigInt(a[i]));
      break;
    case 'u8':
      for (let i = 0; i < n; i++) view.setUint8(at + i, a[i]);
      break;
  }
  s.advance();
}

/**
 * A growable byte buffer. `view(n)` makes room for n bytes and returns a (big-endian by
 * default) DataView of the whole buffer; the caller writes at `at`, then calls `advance()`.
 */
class ByteSink {
  private buf = new Uint8Array(1 << 16);
  private dv = new DataView(this.buf.buffer);
  private length = 0;
  private pending = 0;
  /** Keys repeat in every tree: encode each once. */
  private readonly encoded = new Map<string, Uint8Array>();

  get at(): number {
    return this.length;
  }

  view(n: number): DataView {
    if (this.length + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
      this.dv = new DataView(next.buffer);
    }
    this.pending = n;
    return this.dv;
  }

  advance(): void {
    this.length += this.pending;
    this.pending = 0;
  }

  char(c: string): void {
    this.view(1).setUint8(this.length, c.charCodeAt(0));
    this.advance();
  }

  int64(n: number): void {
    this.view(8).setBigInt64(this.length, BigInt(n));
    this.advance();
  }

  /** A container's element count: '#', 'L', then the count as int64. */
  count(n: number): void {
    this.char('#');
    this.char('L');
    this.int64(n);
  }

  /** 'L', the int64 byte length, then the UTF-8 bytes (XGBoost's EncodeStr). */
  text(str: string): void {
    let b = this.encoded.get(str);
    if (b === undefined) {
      b = Buffer.from(str, 'utf8');
      if (str.length <= 64) this.encoded.set(str, b);
    }
    this.char('L');
    this.int64(b.length);
    this.view(b.length);
    this.buf.set(b, this.length);
    this.advance();
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
