// Where the command's code comes from: the JavaScript bundle `npm ci` built into dist/app
// (scripts/buildApp.mjs) when it is fresh, else the TypeScript sources through tsx (development:
// an edited source is never shadowed by an older build). Fresh = src/ has changed nothing (no file or
// folder newer) since the build recorded its newest source time. Checking stats every file and
// folder of src/ (~490) at every start: ~8 ms of CPU in a fresh process (issue 17), half of the
// ~15 ms it took with path.join, whose normalising cost as much as the stat calls themselves.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'web']);

/**
 * The newest mtime of `dir` and everything below it (files and folders, so added, removed and
 * renamed files count too), skipping SKIP_DIRS; scripts/buildApp.mjs records it with the build.
 */
export function newestSourceMtime(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    // `dir` is already absolute and normal: plain concatenation, not path.join.
    const path = `${dir}/${e.name}`;
    let m;
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name)) continue;
      m = newestSourceMtime(path);
    } else m = statSync(path).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

function builtIsFresh() {
  if (process.env.SEALED_FROM_SOURCE === '1') return false;
  try {
    const build = JSON.parse(readFileSync(`${root}dist/app/build.json`, 'utf8'));
    return typeof build.newestSourceMtimeMs === 'number' && newestSourceMtime(`${root}src`) <= build.newestSourceMtimeMs;
  } catch {
    return false;
  }
}

/** Imports `src/<path>.ts` of this package, built or through tsx. */
export async function importApp(path) {
  const built = builtIsFresh();
  // For tests and for "why is it slow": which code this process runs.
  if (process.env.SEALED_TRACE_ENTRY === '1') process.stderr.write(`sealed: running ${built ? 'dist/app (built)' : 'src (tsx)'}\n`);
  if (built) {
    // Stack traces are shown with --debug (or SEALED_DEBUG=1): then they name src/*.ts lines through
    // the bundle's source maps. Only then: mapping costs start-up (and every Error's stack) otherwise.
    // Modules loaded from here on are mapped; `node --enable-source-maps` maps everything, always.
    if (process.env.SEALED_DEBUG === '1' || process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
    return import(new URL(`../dist/app/src/${path}.js`, import.meta.url).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`../src/${path}.ts`, import.meta.url).href);
}
