// The part of the WebAssembly JavaScript API the kernels use. Node has it as a global, but
// @types/node 20 does not declare it and lib "dom" would bring the whole browser with it.
declare global {
  namespace WebAssembly {
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
      shared?: boolean;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      /** A SharedArrayBuffer for a shared memory (never detached; a new object after grow). */
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      /** Adds pages; returns the previous size in pages. */
      grow(delta: number): number;
    }
    class Module {
      constructor(bytes: Uint8Array);
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
    function validate(bytes: Uint8Array): boolean;
  }
}
export {};
