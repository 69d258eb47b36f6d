// Protocol-buffers wire format, writing only: what the ONNX exporter needs (varints, 32-bit
// floats, length-delimited fields and packed repeated numbers). ONNX's schema is small and
// fixed, so a generated protobuf library would add a dependency for ~60 lines.

const VARINT = 0;
const LENGTH = 2;
const FIXED32 = 5;

export class ProtoWriter {
  private readonly bytes: number[] = [];

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`protobuf varint out of range: ${v}`);
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }

  int(field: number, v: number): this {
    this.key(field, VARINT);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, FIXED32);
    const b = new Uint8Array(Float32Array.of(v).buffer);
    this.bytes.push(b[0], b[1], b[2], b[3]);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.key(field, LENGTH);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytesField(field, m.finish());
  }

  packedInts(field: number, values: ArrayLike<number>): this {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]);
    return this.bytesField(field, inner.finish());
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const f = Float32Array.from(values);
    return this.bytesField(field, new Uint8Array(f.buffer));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
