// `npm ci`'s prepare (and `npm run build:app`): compiles src/**/*.ts to JavaScript in dist/app/src,
// so `bin/sealed` and `bin/sealed-executor` start without transpiling (issue 17: tsx took ~1.3 s of
// every start). Development keeps tsx: the entry points use dist/app only while it is fresh
// (bin/entry.mjs compares it with src/), and `node scripts/buildApp.mjs --check` (run by a test)
// lists every file whose built output differs from what the sources compile to now.
//   - each .ts (not .d.ts, not the browser app in src/dashboard/web) -> .js, relative `.ts` import
//     specifiers rewritten to `.js` (tsconfig's verbatimModuleSyntax keeps imports as written);
//   - worker entry shims (*.mjs that register tsx and import a .ts) -> the same file importing the .js;
//   - other .mjs and .json files copied as they are;
//   - dist/app/package.json: the package's name and version (the CLI prints it) and "type": "module";
//   - dist/app/build.json: when, from how many files;
//   - dist/app/component-help.json: `sealed component --help` of the default catalog, computed by the
//     built code itself (src/cli/componentHelp.ts), so that help does not import every component.
// The tree is built beside the old one and renamed into place, so a failed build leaves the last one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { newestSourceMtime as newestMtimeBelow } from '../bin/entry.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP_DIRS = new Set(['node_modules', 'web']);
const RELATIVE_TS = /(\b(?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]*?)\.ts\2/g;
const TSX_IMPORT = /\b(?:from|import)\s*\(?\s*["']tsx(?:\/[^"']*)?["']/;
const SHIM = /^import \{ register \} from 'tsx\/esm\/api';\n\nregister\(\);\n/m;

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(path, out);
    } else out.push(path);
  }
  return out;
}

/** What the build makes of one source file: [relative output path, content], or undefined to skip it. */
async function compileOne(root, file) {
  const rel = relative(join(root, 'src'), file);
  if (file.endsWith('.d.ts') || file.endsWith('.d.mts') || file.endsWith('.test.ts')) return undefined;
  if (file.endsWith('.ts')) {
    const { code } = await transform(readFileSync(file, 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: relative(root, file),
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    });
    return [rel.slice(0, -'.ts'.length) + '.js', code.replace(RELATIVE_TS, '$1$2$3.js$2')];
  }
  if (file.endsWith('.mjs')) {
    const text = readFileSync(file, 'utf8');
    if (!TSX_IMPORT.test(text)) return [rel, text];
    if (!SHIM.test(text)) throw new Error(`${relative(root, file)} imports tsx but is not a worker entry shim`);
    const imports = text.split('\n').filter((l) => /^await import\(/.test(l));
    return [rel, '// Built worker entry (scripts/buildApp.mjs): the compiled worker, without tsx.\n' + imports.join('\n').replace(RELATIVE_TS, '$1$2$3.js$2') + '\n'];
  }
  if (file.endsWith('.json')) return [rel, readFileSync(file, 'utf8')];
  return undefined;
}

async function compileAll(root) {
  const out = new Map();
  for (const file of walk(join(root, 'src'))) {
    const built = await compileOne(root, file);
    if (built) out.set(built[0], built[1]);
  }
  for (const [name, text] of out) {
    if (name.endsWith('.js') || name.endsWith('.mjs')) {
      if (TSX_IMPORT.test(text)) throw new Error(`src/${name} still imports tsx after the build`);
    }
  }
  return out;
}

function packageJson(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2) + '\n';
}

/** The newest mtime of src/, computed as bin/entry.mjs computes it when it decides whether the build is fresh. */
export function newestSourceMtime(root = ROOT) {
  return newestMtimeBelow(join(root, 'src'));
}

const HELP_FILE = 'component-help.json';

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
  for (const [name, text] of files) {
    const path = join(staging, 'src', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  writeFileSync(join(staging, 'package.json'), packageJson(root));
  writeFileSync(join(staging, HELP_FILE), await componentHelpText(staging));
  writeFileSync(join(staging, 'build.json'), JSON.stringify({ builtAt: new Date().toISOString(), files: files.size, newestSourceMtimeMs: sourcesAt }) + '\n');
  // Two renames instead of remove-then-rename: a `sealed` starting meanwhile finds no dist/app only
  // between them, not for as long as deleting 400 files takes (it then runs from the sources).
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

/** Files of dist/app/src that differ from what src/ compiles to now (missing, changed, or left over). */
export async function staleFiles(root = ROOT) {
  const want = await compileAll(root);
  const base = join(root, 'dist', 'app', 'src');
  const problems = [];
  let have = [];
  try {
    have = walk(base).map((f) => relative(base, f));
  } catch {
    return ['dist/app is missing: run npm run build:app'];
  }
  for (const [name, text] of want) {
    let built;
    try {
      built = readFileSync(join(base, name), 'utf8');
    } catch {
      problems.push(`missing: dist/app/src/${name}`);
      continue;
    }
    if (built !== text) problems.push(`stale: dist/app/src/${name}`);
  }
  for (const name of have) if (!want.has(name)) problems.push(`left over: dist/app/src/${name}`);
  let pkg;
  try {
    pkg = readFileSync(join(root, 'dist', 'app', 'package.json'), 'utf8');
  } catch {
    pkg = '';
  }
  if (pkg !== packageJson(root)) problems.push('stale: dist/app/package.json');
  // Only meaningful when the built code is current (else it is listed above already).
  if (problems.length === 0) {
    let help;
    try {
      help = readFileSync(join(root, 'dist', 'app', HELP_FILE), 'utf8');
    } catch {
      help = '';
    }
    if (help !== (await componentHelpText(join(root, 'dist', 'app')))) problems.push(`stale: dist/app/${HELP_FILE}`);
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
