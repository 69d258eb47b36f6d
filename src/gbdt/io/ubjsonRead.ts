// A UBJSON (https://ubjson.org) decoder for XGBoost's binary model format (`save_model("m.ubj")`),
// producing the same document shape JSON.parse gives, so one model reader serves both.
// Optimised containers with a fixed numeric element type (`[$d#L<n>` and the like, which
// XGBoost uses for every per-node array) decode to typed arrays; big-endian as UBJSON says.
//
// Input is untrusted: every length is checked against the bytes that remain before anything
// is allocated, nesting is bounded, and any problem is a ModelError with the byte offset, so a
// corrupt file can neither hang the reader nor make it allocate more than the file's size.
// Beyond what XGBoost writes, it accepts standard UBJSON: any integer type for lengths and
// counts, 'N' no-ops, counted objects, 'D' float64 ('D' is what 2.x added), 'C' chars.
import { ModelError } from '../../core/index.ts';

const MAX_DEPTH = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true });

type TypedElement = { size: number; read: (v: DataView, at: number) => number; make: (n: number) => NumericArray };
type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Int32Array;

/** Element types allowed in optimised (`$`) containers: fixed-size numbers only. */
const TYPED: Readonly<Record<string, TypedElement>> = {
  i: { size: 1, read: (v, at) => v.getInt8(at), make: (n) => new Int8Array(n) },
  U: { size: 1, read: (v, at) => v.getUint8(at), make: (n) => new Uint8Array(n) },
  I: { size: 2, read: (v, at) => v.getInt16(at), make: (n) => new Int16Array(n) },
  l: { size: 4, read: (v, at) => v.getInt32(at), make: (n) => new Int32Array(n) },
  // int64 arrays become float64 holding the integers; values past 2^53 are refused in readInt64.
  L: { size: 8, read: () => NaN, make: (n) => new Float64Array(n) },
  d: { size: 4, read: (v, at) => v.getFloat32(at), make: (n) => new Float32Array(n) },
  D: { size: 8, read: (v, at) => v.getFloat64(at), make: (n) => new Float64Array(n) },
};

/** Decodes one UBJSON document; `file` only labels error messages. */
export function decodeUbjson(bytes: Uint8Array, file?: string): unknown {
  return new UbjDecoder(bytes, file).document();
}

class UbjDecoder {
  private readonly view: DataView;
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file?: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  document(): unknown {
    if (this.bytes.length === 0) this.fail('the file is empty');
    const v = this.value(this.marker(), 0);
    while (this.pos < this.bytes.length && this.bytes[this.pos] === 0x4e /* N */) this.pos++;
    if (this.pos !== this.bytes.length) this.fail(`${this.bytes.length - this.pos} unexpected bytes after the end of the document`);
    return v;
  }

  private fail(reason: string, at = this.pos): never {
    throw new ModelError(
      'gbdt.modelInvalid',
      { reason: `${reason} (byte ${at})`, format: 'UBJSON' },
      this.file === undefined ? undefined : { location: { file: this.file } },
    );
  }

  private need(n: number, what: string): void {
    if (n > this.bytes.length - this.pos) this.fail(`truncated: ${what} needs ${n} bytes, ${this.bytes.length - this.pos} remain`);
  }

  /** Next marker, skipping 'N' no-ops. */
  private marker(): string {
    for (;;) {
      this.need(1, 'a type marker');
      const c = String.fromCharCode(this.bytes[this.pos++]);
      if (c !== 'N') return c;
    }
  }

  private value(m: string, depth: number): unknown {
    switch (m) {
      case 'Z':
        return null;
      case 'T':
        return true;
      case 'F':
        return false; // XGBoost 1.x's own reader read 'F' as true; 2.x fixed it (src/common/json.cc)
      case 'i':
      case 'U':
      case 'I':
      case 'l':
      case 'L':
        return this.integer(m);
      case 'd':
        this.need(4, 'a float32');
        this.pos += 4;
        return this.view.getFloat32(this.pos - 4);
      case 'D':
        this.need(8, 'a float64');
        this.pos += 8;
        return this.view.getFloat64(this.pos - 8);
      case 'C':
        this.need(1, 'a char');
        return String.fromCharCode(this.bytes[this.pos++]);
      case 'S':
        return this.string();
      case 'H':
        return this.fail('high-precision numbers (H) are not supported', this.pos - 1);
      case '[':
        return this.array(depth + 1);
      case '{':
        return this.object(depth + 1);
      default:
        return this.fail(`unknown type marker ${markerText(m)}`, this.pos - 1);
    }
  }

  private integer(m: string): number {
    const at = this.pos;
    switch (m) {
      case 'i':
        this.need(1, 'an int8');
        return this.view.getInt8(this.pos++);
      case 'U':
        this.need(1, 'a uint8');
        return this.view.getUint8(this.pos++);
      case 'I':
        this.need(2, 'an int16');
        this.pos += 2;
        return this.view.getInt16(at);
      case 'l':
        this.need(4, 'an int32');
        this.pos += 4;
        return this.view.getInt32(at);
      case 'L':
        this.need(8, 'an int64');
        this.pos += 8;
        return this.readInt64(at);
      default:
        return this.fail(`expected an integer type marker, got ${markerText(m)}`, at - 1);
    }
  }

  private readInt64(at: number): number {
    const v = this.view.getBigInt64(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`int64 ${v} is out of range`, at);
    return Number(v);
  }

  /** A length or count: an integer of any type, never negative. */
  private length(what: string): number {
    const at = this.pos;
    const n = this.integer(this.marker());
    if (n < 0) this.fail(`negative ${what} ${n}`, at);
    return n;
  }

  private string(): string {
    const at = this.pos;
    const n = this.length('string length');
    this.need(n, `a string of ${n} bytes`);
    try {
      return utf8.decode(this.bytes.subarray(this.pos, (this.pos += n)));
    } catch {
      return this.fail('string is not valid UTF-8', at);
    }
  }

  private enter(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`containers nested deeper than ${MAX_DEPTH}`, this.pos - 1);
  }

  private array(depth: number): unknown {
    this.enter(depth);
    this.need(1, 'an array');
    if (this.bytes[this.pos] === 0x24 /* $ */) {
      this.pos++;
      this.need(1, 'a typed array element type');
      const t = String.fromCharCode(this.bytes[this.pos++]);
      const el = TYPED[t];
      if (!el) this.fail(`typed arrays of ${markerText(t)} are not supported`, this.pos - 1);
      if (this.marker() !== '#') this.fail("a typed array needs a count ('#')", this.pos - 1);
      const n = this.length('array count');
      this.need(n * el.size, `a typed array of ${n} elements`);
      const out = el.make(n);
      if (t === 'L') for (let i = 0; i < n; i++) out[i] = this.readInt64(this.pos + 8 * i);
      else for (let i = 0; i < n; i++) out[i] = el.read(this.view, this.pos + el.size * i);
      this.pos += n * el.size;
      return out;
    }
    if (this.bytes[this.pos] === 0x23 /* # */) {
      this.pos++;
      const n = this.length('array count');
      this.need(n, `an array of ${n} elements`); // every element takes at least one byte
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = this.value(this.marker(), depth);
      return out;
    }
    const out: unknown[] = [];
    for (;;) {
      const m = this.marker();
      if (m === ']') return out;
      out.push(this.value(m, depth));
    }
  }

  private object(depth: number): unknown {
    this.enter(depth);
    const out: Record<string, unknown> = Object.create(null);
    this.need(1, 'an object');
    if (this.bytes[this.pos] === 0x24 /* $ */) this.fail('typed objects ($) are not supported');
    if (this.bytes[this.pos] === 0x23 /* # */) {
      this.pos++;
      const n = this.length('object count');
      this.need(2 * n, `an object of ${n} entries`); // a key length and a value at least
      for (let i = 0; i < n; i++) {
        const key = this.string();
        out[key] = this.value(this.marker(), depth);
      }
      return out;
    }
    for (;;) {
      this.need(1, 'an object key');
      if (this.bytes[this.pos] === 0x7d /* } */) {
        this.pos++;
        return out;
      }
      if (this.bytes[this.pos] === 0x4e /* N */) {
        this.pos++;
        continue;
      }
      const key = this.string();
      out[key] = this.value(this.marker(), depth);
    }
  }
}

function markerText(m: string): string {
  const c = m.charCodeAt(0);
  return c >= 0x20 && c < 0x7f ? `'${m}'` : `0x${c.toString(16).padStart(2, '0')}`;
}
