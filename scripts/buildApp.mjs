// `npm ci`'s prepare (and `npm run build:app`): bundles src/**/*.ts into JavaScript in dist/app, so
// `bin/sealed` and `bin/sealed-executor` start without transpiling (issue 17: tsx took ~1.3 s of every
// start) and without resolving, reading and compiling ~430 module files (a bundle: ~0.1 s less per run).
// Development keeps tsx: the entry points use dist/app only while it is fresh (bin/entry.mjs compares
// it with src/), and `node scripts/buildApp.mjs --check` (run by a test) lists every file whose built
// output differs from what the sources bundle to now.
//   - esbuild `build`, bundle + splitting (ESM): every module imported by path at run time is an entry
//     point with its own file at its source's place (dist/app/src/cli/main.js for src/cli/main.ts):
//     the command's modules (ENTRIES), every literal `import('./x.ts')` of src/ (lazy modules stay
//     lazy: a chunk loaded on first use) and every worker (`new Worker(new URL('./x.mjs', ...))`: the
//     tsx shim x.mjs becomes the bundled worker at dist/app/src/.../x.mjs). Code shared by entry points
//     goes to dist/app/chunks/. Packages stay imports of node_modules.
//   - `import.meta.url` of each module is what it would be at the module's own place in dist/app/src
//     (dist/app/src/cli/main.js), wherever the bundle put its code: workers, the schema files, the
//     package.json and component help next to the build are found relative to it, as from the sources.
//   - linked source maps (x.js.map, sources only by path): stack traces name bundle lines unless
//     Node runs with --enable-source-maps, which maps them back to src/ (it costs start-up: opt in).
//   - dist/app/metafile.json: for each output file, the source modules it holds (esbuild's metafile),
//     so a test can say which SOURCE modules a command loaded (test/build/startupImports.test.ts).
//   - .json files of src/ copied as they are (the IR schemas are read at run time);
//   - dist/app/package.json: the package's name and version (the CLI prints it) and "type": "module";
//   - dist/app/build.json: when, from how many files;
//   - dist/app/component-help.json: `sealed component --help` of the default catalog, computed by the
//     built code itself (src/cli/componentHelp.ts), so that help does not import every component.
// The tree is built beside the old one and renamed into place, so a failed build leaves the last one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { newestSourceMtime as newestMtimeBelow } from '../bin/entry.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP_DIRS = new Set(['node_modules', 'web']);
const SHIM = /^import \{ register \} from 'tsx\/esm\/api';\n\nregister\(\);\n/m;
const TSX_IMPORT = /\b(?:from|import)\s*\(?\s*["']tsx(?:\/[^"']*)?["']/;
/** Modules imported by path from outside the bundle: bin/*, the dashboard's run child, this script, tests. */
const ENTRIES = ['cli/main', 'cli/executorMain', 'cli/componentHelp', 'dashboard/server/runChild', 'core/lazyZod'];
/** A literal dynamic import of a relative TypeScript module. */
const LAZY_IMPORT = /\bimport\(\s*(["'])(\.{1,2}\/[^"'\n]+\.ts)\1\s*\)/g;
/**
 * A side-effect import of a relative module (`import './polyfill.ts';`): it must run before the
 * packages its importer imports next, but the bundle hoists package imports above all inlined code,
 * so such a module gets a file of its own (an entry point), imported in its place.
 */
const SIDE_EFFECT_IMPORT = /^import\s*(["'])(\.{1,2}\/[^"'\n]+\.ts)\1;?$/gm;
/** A file found relative to the module: `new URL('./x', import.meta.url)` (workers, data files). */
const RELATIVE_URL = /\bnew URL\(\s*(["'])(\.{1,2}\/[^"'\n]+)\1\s*,\s*import\.meta\.url\s*\)/g;
/** What `import.meta.url` of a module becomes before the bundle is written (see moduleUrls). */
const MODULE_URL = '__SEALED_MODULE_URL__';
const MODULE_URL_CALL = new RegExp(`${MODULE_URL}\\((["'])([^"'\\n]+)\\1\\)`, 'g');
const toPosix = (p) => p.split(sep).join('/');

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(path, out);
    } else out.push(path);
  }
  return out;
}

const isModule = (f) => (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts')) || (f.endsWith('.mjs') && !f.endsWith('.d.mts'));
/** A source module's place in dist/app (repository-relative, posix): src/cli/main.ts -> src/cli/main.js. */
const builtPlace = (root, file) => toPosix(relative(root, file)).replace(/\.ts$/, '.js');

/** The entry points: output name without extension, source file, whether it is a worker (x.mjs). */
function entryPoints(root, files) {
  const entries = new Map(ENTRIES.map((p) => [join(root, 'src', `${p}.ts`), false]));
  for (const file of files) {
    if (!isModule(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(LAZY_IMPORT)) entries.set(resolve(dirname(file), m[2]), false);
    for (const m of text.matchAll(SIDE_EFFECT_IMPORT)) entries.set(resolve(dirname(file), m[2]), false);
    for (const m of text.matchAll(RELATIVE_URL)) {
      const target = resolve(dirname(file), m[2]);
      // A worker: a tsx shim (bundled as the module it imports) or plain JavaScript.
      if (target.endsWith('.mjs')) entries.set(target, true);
    }
  }
  return [...entries].map(([file, worker]) => ({ file, worker, out: builtPlace(root, file).replace(/\.m?js$/, '') }));
}

/**
 * esbuild plugin: (1) a worker shim (registers tsx, then `await import('./x.ts')`) becomes a plain
 * import of its worker module; (2) `import.meta.url` in a src/ module becomes a marker naming the
 * module's place in dist/app, replaced after bundling (moduleUrls) by a URL relative to the output
 * file the code landed in: one line, so line numbers (and source maps) stay as they are.
 */
function sealedSources(root) {
  return {
    name: 'sealed-sources',
    setup(b) {
      const src = join(root, 'src') + sep;
      b.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        if (!args.path.startsWith(src)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
        if (loader === 'js' && TSX_IMPORT.test(text)) {
          if (!SHIM.test(text)) throw new Error(`${relative(root, args.path)} imports tsx but is not a worker entry shim`);
          const targets = [...text.matchAll(/^await import\((["'])(\.\/[^"'\n]+\.ts)\1\);$/gm)].map((m) => m[2]);
          if (targets.length !== 1) throw new Error(`${relative(root, args.path)}: a worker shim imports exactly one module`);
          return { contents: `import ${JSON.stringify(targets[0])};\n`, loader, resolveDir: dirname(args.path) };
        }
        const place = JSON.stringify(builtPlace(root, args.path));
        return { contents: text.replaceAll('import.meta.url', `${MODULE_URL}(${place})`), loader };
      });
    },
  };
}

/** Replaces the markers of one output file (at `outRel`, relative to dist/app) by URLs of the modules' places. */
function moduleUrls(code, outRel) {
  return code.replace(MODULE_URL_CALL, (_, _q, place) => {
    let rel = posix.relative(posix.dirname(outRel), place);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
  });
}

function packageJson(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2) + '\n';
}

/** Every file of dist/app but build.json and component-help.json: relative path (posix) -> content. */
async function compileAll(root) {
  const files = walk(join(root, 'src'));
  const entries = entryPoints(root, files);
  const outdir = join(root, 'dist', 'app');
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => ({ in: e.file, out: e.out })),
    outdir,
    outbase: root,
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Error classes take their name from the class (core/errors.ts: new.target.name): keep it when
    // the bundle renames a class whose name collides with another module's.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    plugins: [sealedSources(root)],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  // Nothing esbuild only warns about goes unnoticed (a relative import it cannot follow fails the build:
  // a template string is globbed or an error; a plain variable, as runChild.ts's absolute URL, is left).
  if (result.warnings.length > 0) throw new Error(`esbuild: ${result.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`).join('; ')}`);
  const out = new Map();
  const workers = new Map(entries.filter((e) => e.worker).map((e) => [`${e.out}.js`, `${e.out}.mjs`]));
  // Worker entries are output as x.js; the code asks for x.mjs (the shim's name): renamed, map too.
  const rename = (rel) => workers.get(rel) ?? (rel.endsWith('.js.map') && workers.has(rel.slice(0, -4)) ? `${workers.get(rel.slice(0, -4))}.map` : rel);
  for (const f of result.outputFiles) {
    const rel = toPosix(relative(outdir, f.path));
    let text = f.text;
    if (rel.endsWith('.js')) {
      text = moduleUrls(text, rel);
      if (text.includes(MODULE_URL)) throw new Error(`${rel}: import.meta.url left unresolved`);
      if (TSX_IMPORT.test(text)) throw new Error(`${rel} still imports tsx after the build`);
      if (workers.has(rel)) text = text.replace(/\/\/# sourceMappingURL=(\S+)\.js\.map\n?$/, (_, n) => `//# sourceMappingURL=${n}.mjs.map\n`);
    }
    out.set(rename(rel), text);
  }
  for (const file of files) if (file.endsWith('.json')) out.set(toPosix(relative(root, file)), readFileSync(file, 'utf8'));
  // Each output's source modules (those with code in it), to name what a process loaded.
  const inputsOf = {};
  for (const [path, o] of Object.entries(result.metafile.outputs)) {
    if (path.endsWith('.map')) continue;
    const rel = rename(toPosix(relative(outdir, join(root, path))));
    inputsOf[rel] = Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([p]) => toPosix(p)).sort();
  }
  out.set(METAFILE, JSON.stringify({ outputs: inputsOf }, null, 1) + '\n');
  out.set('package.json', packageJson(root));
  // Every file a module finds by a literal relative URL (worker entries, package.json, ...) is there,
  // or is the component help written next.
  const places = new Set([...out.keys(), HELP_FILE]);
  for (const file of files) {
    if (!isModule(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_URL)) {
      const want = posix.join(posix.dirname(builtPlace(root, file)), m[2].replace(/\.ts$/, '.js'));
      if (!places.has(want)) throw new Error(`${relative(root, file)} finds ${m[2]} relative to itself, which the build does not make (dist/app/${want})`);
    }
  }
  return out;
}

/** The newest mtime of src/, computed as bin/entry.mjs computes it when it decides whether the build is fresh. */
export function newestSourceMtime(root = ROOT) {
  return newestMtimeBelow(join(root, 'src'));
}

const HELP_FILE = 'component-help.json';
/** Problems `--check` lists one by one. */
const MAX_LISTED = 12;
/** Output file (relative to dist/app) -> its source modules (relative to the repository). */
export const METAFILE = 'metafile.json';

/** The component help the built tree in `appDir` gives (it loads the default catalog's components). */
async function componentHelpText(appDir) {
  const { defaultCatalogHelp } = await import(pathToFileURL(join(appDir, 'src', 'cli', 'componentHelp.js')).href);
  return JSON.stringify(await defaultCatalogHelp()) + '\n';
}

export async function buildApp(root = ROOT) {
  const sourcesAt = newestSourceMtime(root);
  const files = await compileAll(root);
  const target = join(root, 'dist', 'app');
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [name, text] of files) {
      const path = join(staging, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    writeFileSync(join(staging, HELP_FILE), await componentHelpText(staging));
    writeFileSync(join(staging, 'build.json'), JSON.stringify({ builtAt: new Date().toISOString(), files: files.size, newestSourceMtimeMs: sourcesAt }) + '\n');
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  // Two renames instead of remove-then-rename: a `sealed` starting meanwhile finds no dist/app only
  // between them, not for as long as deleting the old tree takes (it then runs from the sources).
  const old = `${target}.old-${process.pid}`;
  try {
    renameSync(target, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  return files.size;
}

/** Files of dist/app that differ from what src/ bundles to now (missing, changed, or left over). */
export async function staleFiles(root = ROOT) {
  const want = await compileAll(root);
  const base = join(root, 'dist', 'app');
  const problems = [];
  let have = [];
  try {
    have = walk(base).map((f) => toPosix(relative(base, f)));
  } catch {
    return ['dist/app is missing: run npm run build:app'];
  }
  for (const [name, text] of want) {
    let built;
    try {
      built = readFileSync(join(base, name), 'utf8');
    } catch {
      problems.push(`missing: dist/app/${name}`);
      continue;
    }
    if (built !== text) problems.push(`stale: dist/app/${name}`);
  }
  for (const name of have) if (!want.has(name) && name !== HELP_FILE && name !== 'build.json') problems.push(`left over: dist/app/${name}`);
  // One edited source changes the chunk that holds it and the hashed names of its importers: say
  // what to do first, and not a hundred lines.
  if (problems.length > MAX_LISTED) return ['dist/app is stale: run npm run build:app', ...problems.slice(0, MAX_LISTED), `... and ${problems.length - MAX_LISTED} more`];
  // Only meaningful when the built code is current (else it is listed above already).
  if (problems.length === 0) {
    let help;
    try {
      help = readFileSync(join(base, HELP_FILE), 'utf8');
    } catch {
      help = '';
    }
    if (help !== (await componentHelpText(base))) problems.push(`stale: dist/app/${HELP_FILE}`);
  }
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--check')) {
      const problems = await staleFiles();
      for (const p of problems) console.log(p);
      process.exit(problems.length === 0 ? 0 : 1);
    }
    const n = await buildApp();
    console.log(`app: built ${n} files into dist/app/`);
  } catch (e) {
    console.error(`app: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
