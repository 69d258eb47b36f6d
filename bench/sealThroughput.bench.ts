// Sealing micro-benchmark: seals, then seals+unseals, a generated 256 MB stream in memory
// (no disk) with the default 64 KiB segments, and prints MB/s for each and the peak RSS.
//   npm run bench:seal-throughput -- [--mb 256]
import { randomBytes } from 'node:crypto';
import { sealChunks, unsealChunks, type SealContext } from '../src/seal/index.ts';
import { MemoryKeyProvider } from '../test/seal/memoryKeyProvider.ts';
import { parseBenchArgs } from './lib/args.ts';
import { peakRssBytes } from './lib/memory.ts';

const args = parseBenchArgs();
const mb = Number(args.flags.get('mb') ?? 256);
const total = mb * 1024 * 1024;
const chunk = randomBytes(64 * 1024);
const keyProvider = new MemoryKeyProvider();
const context: SealContext = { runId: 'bench', task: 'train', artifact: 'model', type: 'system.Model' };

async function* source(): AsyncGenerator<Uint8Array> {
  for (let n = 0; n < total; n += chunk.length) yield chunk;
}
async function drain(g: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const p of g) n += p.length;
  return n;
}
function report(what: string, bytes: number, ms: number): void {
  console.log(`${what.padEnd(16)} ${(bytes / 1024 / 1024).toFixed(0)} MB in ${(ms / 1000).toFixed(2)} s: ${((total / 1024 / 1024) / (ms / 1000)).toFixed(0)} MB/s`);
}

let t = performance.now();
const sealedBytes = await drain(sealChunks(source(), { keyProvider, context }));
report('seal', sealedBytes, performance.now() - t);
t = performance.now();
const plainBytes = await drain(unsealChunks(sealChunks(source(), { keyProvider, context }), { keyProvider, expect: context }));
if (plainBytes !== total) throw new Error(`round trip returned ${plainBytes} bytes, expected ${total}`);
report('seal+unseal', plainBytes, performance.now() - t);
console.log(`overhead: ${(sealedBytes - total).toLocaleString()} bytes; peak RSS ${(peakRssBytes() / 1024 / 1024).toFixed(0)} MiB`);
