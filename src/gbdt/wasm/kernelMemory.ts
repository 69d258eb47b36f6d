// One shared WebAssembly memory that holds every buffer the training kernels touch, so the
// WebAssembly kernels (grow/hist/wasmKernels.ts) can address them by byte offset. Memory only
// grows: each allocation is a memory.grow, which is atomic, so any thread may allocate, and
// views made earlier stay valid (a shared memory's buffer is never detached).
import type { BufferSource, Region } from '../grow/hist/bufferSource.ts';

const PAGE = 65536;
/** wasm32 addresses 4 GiB. */
export const MAX_PAGES = 65536;

export class KernelMemory implements BufferSource {
  readonly shared = true;
  readonly memory: WebAssembly.Memory;

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 0, maximum: MAX_PAGES, shared: true });
  }

  /** Whether `bytes` more would still fit (to choose this source only for data that fits). */
  static fits(bytes: number): boolean {
    return bytes <= (MAX_PAGES - 16) * PAGE;
  }

  alloc(bytes: number): Region {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    // Throws a RangeError once 4 GiB are used; the caller's data did not fit (see fits).
    const at = this.memory.grow(pages) * PAGE;
    return { buffer: this.memory.buffer, byteOffset: at, byteLength: bytes };
  }
}
