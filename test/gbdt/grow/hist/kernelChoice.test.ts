import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binMatrix } from '../../../../src/gbdt/data/binnedMatrix.ts';
import { packMatrix } from '../../../../src/gbdt/data/packedMatrix.ts';
import { chooseKernels } from '../../../../src/gbdt/grow/hist/kernelChoice.ts';
import { KernelMemory } from '../../../../src/gbdt/wasm/kernelMemory.ts';
import { denseMatrix } from '../../../../src/gbdt/index.ts';

const pm = packMatrix(binMatrix(denseMatrix(Float64Array.from({ length: 400 }, (_, i) => i % 17), 100, 4), 256));

function withKernels<T>(value: string | undefined, f: () => T): T {
  const before = process.env.SEALED_GBDT_KERNELS;
  if (value === undefined) delete process.env.SEALED_GBDT_KERNELS;
  else process.env.SEALED_GBDT_KERNELS = value;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env.SEALED_GBDT_KERNELS;
    else process.env.SEALED_GBDT_KERNELS = before;
  }
}

test('by default training runs the WebAssembly kernels over a training memory; js forces the JavaScript ones', () => {
  const auto = withKernels(undefined, () => chooseKernels(pm, 2));
  assert.equal(auto.kernels.kind, 'wasm');
  assert.ok(auto.source instanceof KernelMemory);
  assert.ok(auto.memory);
  const js = withKernels('js', () => chooseKernels(pm, 2));
  assert.equal(js.kernels.kind, 'js');
  assert.equal(js.memory, undefined);
  assert.equal(js.source.shared, true);
  assert.equal(withKernels('js', () => chooseKernels(pm, 1)).source.shared, false);
});

test('an unknown SEALED_GBDT_KERNELS value is refused with one clear line', () => {
  assert.throws(() => withKernels('wsam', () => chooseKernels(pm, 1)), /SEALED_GBDT_KERNELS must be auto, js or wasm, got 'wsam'/);
});

test('the training memory hands out disjoint, zeroed regions that stay valid as it grows', () => {
  const tm = new KernelMemory();
  const a = tm.alloc(100);
  const va = new Uint8Array(a.buffer, a.byteOffset, a.byteLength).fill(7);
  const b = tm.alloc(200_000);
  assert.ok(b.byteOffset >= a.byteOffset + 65536);
  assert.ok(new Uint8Array(b.buffer, b.byteOffset, b.byteLength).every((v) => v === 0));
  assert.ok(va.every((v) => v === 7));
  assert.ok(KernelMemory.fits(3 * 2 ** 30));
  assert.ok(!KernelMemory.fits(5 * 2 ** 30));
});
