// Where benchmarks keep generated inputs (bench/.cache, gitignored) and find the real dataset.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../test/helpers/sharedData.ts';

export { realDataPath } from '../../test/helpers/sharedData.ts';

export function benchCacheDir(): string {
  const dir = resolve(repoRoot, 'bench/.cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}
