// Where the training buffers (row lanes, positions, histograms, scratch records) are allocated:
// on the JavaScript heap, or inside one WebAssembly memory (wasm/kernelMemory.ts) so that the
// WebAssembly kernels can address them. Everything takes a Region, never a whole buffer, so a
// view may start anywhere in its buffer.

export interface Region {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
}

export interface BufferSource {
  /** Whether worker threads can share what alloc returns. */
  readonly shared: boolean;
  /** Zero-filled bytes, 8-byte aligned at least. */
  alloc(bytes: number): Region;
}

/** A new ArrayBuffer (or SharedArrayBuffer) per allocation. */
export function heapSource(shared: boolean): BufferSource {
  return {
    shared,
    alloc: (bytes) => ({ buffer: shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), byteOffset: 0, byteLength: bytes }),
  };
}

export function regionOf(view: ArrayBufferView): Region {
  return { buffer: view.buffer as ArrayBuffer | SharedArrayBuffer, byteOffset: view.byteOffset, byteLength: view.byteLength };
}
