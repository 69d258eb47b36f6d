// A minimal WebAssembly binary encoder: enough to emit the training kernels (wasmKernels.ts)
// specialised for one record shape and slot layout at run time, as the JavaScript kernels are
// (histogram.ts byteKernel), without a build step or a compiler dependency. Only the
// instructions the kernels use are here; every function imports one shared memory "k"."m".

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

function uleb(out: number[], v: number): void {
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

function sleb(out: number[], v: number): void {
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** A function body: instructions appended in order (stack machine, as in the text format's flat form). */
export class Code {
  readonly bytes: number[] = [];

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }

  private mem(opcode: number, align: number, offset: number): this {
    this.bytes.push(opcode);
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  private simd(opcode: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, opcode);
    return this;
  }

  private simdMem(opcode: number, align: number, offset: number): this {
    this.simd(opcode);
    uleb(this.bytes, align);
    uleb(this.bytes, offset);
    return this;
  }

  get(i: number): this {
    this.bytes.push(0x20);
    uleb(this.bytes, i);
    return this;
  }
  set(i: number): this {
    this.bytes.push(0x21);
    uleb(this.bytes, i);
    return this;
  }
  tee(i: number): this {
    this.bytes.push(0x22);
    uleb(this.bytes, i);
    return this;
  }
  i32(v: number): this {
    this.bytes.push(0x41);
    sleb(this.bytes, v | 0);
    return this;
  }

  f32c(v: number): this {
    const b = new Uint8Array(Float32Array.of(v).buffer);
    return this.op(0x43, ...b);
  }
  f64c(v: number): this {
    const b = new Uint8Array(Float64Array.of(v).buffer);
    return this.op(0x44, ...b);
  }

  /** if (condition on the stack) without results; `else_` optional. */
  if_(): this {
    return this.op(0x04, 0x40);
  }
  else_(): this {
    return this.op(0x05);
  }

  /** block/loop without results; br depth counts enclosing blocks from 0. */
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, depth);
  }
  brIf(depth: number): this {
    return this.op(0x0d, depth);
  }
  select(): this {
    return this.op(0x1b);
  }

  // Memory access: offset is the constant added to the address operand.
  load8(offset = 0): this {
    return this.mem(0x2d, 0, offset);
  }
  load16(offset = 0): this {
    return this.mem(0x2f, 1, offset);
  }
  load32(offset = 0): this {
    return this.mem(0x28, 2, offset);
  }
  store32(offset = 0): this {
    return this.mem(0x36, 2, offset);
  }
  store8(offset = 0): this {
    return this.mem(0x3a, 0, offset);
  }
  load64(offset = 0): this {
    return this.mem(0x29, 3, offset);
  }
  store64(offset = 0): this {
    return this.mem(0x37, 3, offset);
  }
  loadF32(offset = 0): this {
    return this.mem(0x2a, 2, offset);
  }
  storeF32(offset = 0): this {
    return this.mem(0x38, 2, offset);
  }
  loadF64(offset = 0): this {
    return this.mem(0x2b, 3, offset);
  }
  storeF64(offset = 0): this {
    return this.mem(0x39, 3, offset);
  }
  loadV128(offset = 0): this {
    return this.simdMem(0x00, 4, offset);
  }
  storeV128(offset = 0): this {
    return this.simdMem(0x0b, 4, offset);
  }
  /** v128.load64_zero: 8 bytes into the low lane. */
  loadV64(offset = 0): this {
    return this.simdMem(0x5d, 3, offset);
  }
  memoryCopy(): this {
    return this.op(0xfc, 10, 0, 0);
  }
  /** memory.fill: (address, byte value, length). */
  memoryFill(): this {
    return this.op(0xfc, 11, 0);
  }

  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  and(): this {
    return this.op(0x71);
  }
  or(): this {
    return this.op(0x72);
  }
  xor(): this {
    return this.op(0x73);
  }
  shl(): this {
    return this.op(0x74);
  }
  ltU(): this {
    return this.op(0x49);
  }
  gtU(): this {
    return this.op(0x4b);
  }
  geU(): this {
    return this.op(0x4f);
  }
  eqz(): this {
    return this.op(0x45);
  }
  /** f32.lt and f32.ge: 0 when either operand is NaN. */
  f32Ne(): this {
    return this.op(0x5c);
  }
  f32Eq(): this {
    return this.op(0x5b);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32Lt(): this {
    return this.op(0x5d);
  }
  f32Ge(): this {
    return this.op(0x60);
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Div(): this {
    return this.op(0x95);
  }
  eq(): this {
    return this.op(0x46);
  }
  ne(): this {
    return this.op(0x47);
  }
  ltS(): this {
    return this.op(0x48);
  }
  gtS(): this {
    return this.op(0x4a);
  }
  shrS(): this {
    return this.op(0x75);
  }
  f64Eq(): this {
    return this.op(0x61);
  }
  f64Ne(): this {
    return this.op(0x62);
  }
  f64Lt(): this {
    return this.op(0x63);
  }
  f64Gt(): this {
    return this.op(0x64);
  }
  f64Le(): this {
    return this.op(0x65);
  }
  f64Ge(): this {
    return this.op(0x66);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64Sub(): this {
    return this.op(0xa1);
  }
  f64Mul(): this {
    return this.op(0xa2);
  }
  f64Div(): this {
    return this.op(0xa3);
  }
  f64Min(): this {
    return this.op(0xa4);
  }
  f64Neg(): this {
    return this.op(0x9a);
  }
  /** i32.trunc_f64_s (traps outside the int32 range). */
  i32TruncF64(): this {
    return this.op(0xaa);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  /** The bits of an f32 as an i32, and back (for a branch-free choice between two floats). */
  i32ReinterpretF32(): this {
    return this.op(0xbc);
  }
  f32ReinterpretI32(): this {
    return this.op(0xbe);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  /** The two low float32 lanes as two float64 lanes (exact). */
  f64x2PromoteLow(): this {
    return this.simd(0x5f);
  }

  // Lane-wise SIMD: each lane is the scalar instruction's result (IEEE-754 per lane).
  /** v128.load64_lane: 8 bytes into lane `lane` of the v128 on the stack. */
  loadLane64(lane: number, offset = 0): this {
    this.simdMem(0x57, 3, offset);
    this.bytes.push(lane);
    return this;
  }
  v128Const(bytes: Uint8Array): this {
    this.simd(0x0c);
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  i32x4ExtractLane(lane: number): this {
    this.simd(0x1b);
    this.bytes.push(lane);
    return this;
  }
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of (a ++ b). */
  shuffle(lanes: readonly number[]): this {
    this.simd(0x0d);
    for (const l of lanes) this.bytes.push(l);
    return this;
  }
  /** v128.bitselect(a, b, mask): a's bits where mask is 1, else b's. */
  bitselect(): this {
    return this.simd(0x52);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Min(): this {
    return this.simd(0xf4);
  }
  f64x2Neg(): this {
    return this.simd(0xed);
  }
  f64x2Gt(): this {
    return this.simd(0x4a);
  }
  f64x2Ne(): this {
    return this.simd(0x48);
  }
  /** i32x4.trunc_sat_f64x2_s_zero: the two lanes as i32 (saturating), zeros above. */
  i32x4TruncSatF64x2Zero(): this {
    return this.simd(0xfc);
  }
  /** f32x4.demote_f64x2_zero: the two lanes rounded to float32, zeros above. */
  f32x4DemoteF64x2Zero(): this {
    return this.simd(0x5e);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  f64x2Eq(): this {
    return this.simd(0x47);
  }
  f64x2Le(): this {
    return this.simd(0x4b);
  }
  f64x2Ge(): this {
    return this.simd(0x4c);
  }
  /** v128.any_true: 1 when any bit is set. */
  anyTrue(): this {
    return this.simd(0x53);
  }
  /** i64x2.all_true: 1 when both lanes are non-zero. */
  i64x2AllTrue(): this {
    return this.simd(0xc3);
  }
  f32x4ExtractLane(lane: number): this {
    this.simd(0x1f);
    this.bytes.push(lane);
    return this;
  }
  f64x2ExtractLane(lane: number): this {
    this.simd(0x21);
    this.bytes.push(lane);
    return this;
  }
  f64x2ReplaceLane(lane: number): this {
    this.simd(0x22);
    this.bytes.push(lane);
    return this;
  }
}

export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Locals after the parameters. */
  readonly locals: readonly ValType[];
  readonly code: Code;
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  out.push(...body);
}

function name(out: number[], s: string): void {
  const b = new TextEncoder().encode(s);
  uleb(out, b.length);
  out.push(...b);
}

/** A module importing a shared memory of up to `maxPages` 64 KiB pages as "k"."m", exporting `functions`. */
export function encodeModule(functions: readonly FunctionDef[], maxPages: number): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types: number[] = [];
  uleb(types, functions.length);
  for (const f of functions) {
    types.push(0x60);
    uleb(types, f.params.length);
    types.push(...f.params);
    uleb(types, f.results.length);
    types.push(...f.results);
  }
  section(out, 1, types);
  const imports: number[] = [1];
  name(imports, 'k');
  name(imports, 'm');
  imports.push(0x02, 0x03);
  uleb(imports, 0);
  uleb(imports, maxPages);
  section(out, 2, imports);
  const funcs: number[] = [];
  uleb(funcs, functions.length);
  functions.forEach((_, i) => uleb(funcs, i));
  section(out, 3, funcs);
  const exports: number[] = [];
  uleb(exports, functions.length);
  functions.forEach((f, i) => {
    name(exports, f.name);
    exports.push(0x00);
    uleb(exports, i);
  });
  section(out, 7, exports);
  const code: number[] = [];
  uleb(code, functions.length);
  for (const f of functions) {
    const body: number[] = [];
    uleb(body, f.locals.length);
    for (const t of f.locals) body.push(1, t);
    body.push(...f.code.bytes, 0x0b);
    uleb(code, body.length);
    code.push(...body);
  }
  section(out, 10, code);
  return Uint8Array.from(out);
}
