// Where the command's code comes from: the JavaScript `npm ci` built into dist/app
// (scripts/buildApp.mjs) when it is fresh, else the TypeScript sources through tsx (development:
// an edited source is never shadowed by an older build). Fresh = src/ has changed nothing (no file or
// folder newer) since the build recorded its newest source time; checking costs a few milliseconds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'web']);

function newestSourceMtime(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) newest = Math.max(newest, newestSourceMtime(path));
    } else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtIsFresh() {
  if (process.env.SEALED_FROM_SOURCE === '1') return false;
  try {
    const build = JSON.parse(readFileSync(join(root, 'dist/app/build.json'), 'utf8'));
    return typeof build.newestSourceMtimeMs === 'number' && newestSourceMtime(join(root, 'src')) <= build.newestSourceMtimeMs;
  } catch {
    return false;
  }
}

/** Imports `src/<path>.ts` of this package, built or through tsx. */
export async function importApp(path) {
  const built = builtIsFresh();
  // For tests and for "why is it slow": which code this process runs.
  if (process.env.SEALED_TRACE_ENTRY === '1') process.stderr.write(`sealed: running ${built ? 'dist/app (built)' : 'src (tsx)'}\n`);
  if (built) return import(new URL(`../dist/app/src/${path}.js`, import.meta.url).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`../src/${path}.ts`, import.meta.url).href);
}
