// Protocol-buffers wire format, reading only: what the ML Metadata answers need (varints,
// length-delimited fields, packed or unpacked repeated int64), the writing side being
// src/gbdt/onnx/protobufWriter.ts. Input comes from the network, so every length is checked
// against what is left, a varint longer than 10 bytes or above 2^53 is refused, and the
// deprecated group wire types are refused rather than guessed at.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

export class ProtoDecodeError extends Error {}

export interface ProtoField {
  field: number;
  wire: number;
  /** The number of a varint field. */
  int: number;
  /** The bytes of a length-delimited field. */
  bytes: Uint8Array;
}

export class ProtoReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  /** Every field of the message in order; unknown wire types 1 and 5 are skipped. */
  *fields(): Generator<ProtoField> {
    while (this.pos < this.buf.length) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key % 8;
      if (field === 0) throw new ProtoDecodeError('field number 0');
      if (wire === VARINT) yield { field, wire, int: this.varint(), bytes: EMPTY };
      else if (wire === LENGTH) {
        const length = this.varint();
        if (length > this.buf.length - this.pos) throw new ProtoDecodeError(`field ${field} announces ${length} bytes, ${this.buf.length - this.pos} left`);
        const bytes = this.buf.subarray(this.pos, this.pos + length);
        this.pos += length;
        yield { field, wire, int: 0, bytes };
      } else if (wire === FIXED64 || wire === FIXED32) {
        const size = wire === FIXED64 ? 8 : 4;
        if (size > this.buf.length - this.pos) throw new ProtoDecodeError(`field ${field} is cut short`);
        this.pos += size;
      } else throw new ProtoDecodeError(`wire type ${wire} of field ${field} is not supported`);
    }
  }

  private varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtoDecodeError('varint is cut short');
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        // Negative int64 values (ten bytes) and anything beyond 2^53 are not ids MLMD hands out.
        if (!Number.isSafeInteger(value)) throw new ProtoDecodeError('varint beyond 2^53');
        return value;
      }
      scale *= 128;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }
}

const EMPTY = new Uint8Array(0);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string field: must be valid UTF-8, as proto strings are. */
export function protoString(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtoDecodeError('string field is not UTF-8');
  }
}

/** The numbers of a repeated int64 field: packed (one length-delimited field) or one varint per value. */
export function repeatedInts(f: ProtoField, into: number[]): void {
  if (f.wire === VARINT) into.push(f.int);
  else if (f.wire === LENGTH) for (const p of new ProtoReader(wrapPacked(f.bytes)).fields()) into.push(p.int);
  else throw new ProtoDecodeError(`field ${f.field}: not an int64`);
}

// A packed run of varints read as a sequence of field-1 varints: prefix each value with key 0x08.
function wrapPacked(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let start = true;
  for (const b of bytes) {
    if (start) out.push(0x08);
    out.push(b);
    start = b < 0x80;
  }
  if (!start) throw new ProtoDecodeError('packed varint is cut short');
  return Uint8Array.from(out);
}
