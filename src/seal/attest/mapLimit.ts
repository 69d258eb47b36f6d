// Runs `fn` over `items` with at most `limit` calls in flight, results in input order. Digesting a
// run is mostly waiting on file opens and reads (about 0.75 ms per small file one at a time here),
// so a few in flight make a folder of thousands of files several times faster.
export const DIGEST_CONCURRENCY = 8;

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
