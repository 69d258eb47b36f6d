// Which kernels grow the trees, and so where the training buffers live.
import { UsageError } from '../../../core/index.ts';
import type { PackedMatrix } from '../../data/packedMatrix.ts';
import { KernelMemory } from '../../wasm/kernelMemory.ts';
import { heapSource, type BufferSource } from './bufferSource.ts';
import { jsKernels, type RowKernels } from './rowKernels.ts';
import { recordShape } from './rowPartitioner.ts';
import { wasmKernels, wasmKernelsSupported } from './wasmKernels.ts';

export interface KernelChoice {
  readonly source: BufferSource;
  readonly kernels: RowKernels;
  /** The memory the WebAssembly kernels address (worker threads instantiate them on it). */
  readonly memory?: WebAssembly.Memory;
}

/**
 * The WebAssembly kernels over a training memory when the runtime has them and the buffers
 * fit in 4 GiB (three record lanes, scratch records per thread, histograms, the shared per-row
 * arrays: `sharedBytesPerRow`), else the
 * JavaScript ones over heap buffers. SEALED_GBDT_KERNELS=js or =wasm forces one (the tests
 * train with both and compare; the trees are the same).
 */
export function chooseKernels(pm: PackedMatrix, threads: number, sharedBytesPerRow = 0): KernelChoice {
  const which = process.env.SEALED_GBDT_KERNELS ?? 'auto';
  if (which !== 'auto' && which !== 'js' && which !== 'wasm') {
    throw new UsageError('gbdt.badKernels', { value: which });
  }
  const shape = recordShape(pm);
  const recordBytes = pm.nRows * shape.words * 4;
  // Plus the per-row arrays the grower shares with the kernels (margins, labels, weights,
  // gradient pairs: driver.ts), which live in the same memory.
  const estimate = (3 + threads) * recordBytes + (9 + sharedBytesPerRow) * pm.nRows + (64 << 20);
  const wasm = which === 'wasm' || (which === 'auto' && KernelMemory.fits(estimate) && wasmKernelsSupported());
  if (!wasm) return { source: heapSource(threads > 1), kernels: jsKernels(shape, pm) };
  const tm = new KernelMemory();
  return { source: tm, kernels: wasmKernels(tm.memory, shape, pm), memory: tm.memory };
}
