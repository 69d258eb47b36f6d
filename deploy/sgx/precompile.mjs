// Compiles the app's TypeScript to JavaScript for the enclave image (Dockerfile.sgx), in place:
//   node deploy/sgx/precompile.mjs /app
// Why: the normal image runs the sources through tsx, whose loader starts esbuild's native binary as a
// child process on first use (measured: bin/sealed-executor spawns node_modules/@esbuild/linux-x64/bin/esbuild).
// Gramine runs a child process in a new enclave at best and the executor's enclave has no esbuild in its
// manifest, so inside SGX the executor must start from plain JavaScript and never load tsx.
// Every src/**/*.ts (except tests and the browser app) gets a .js beside it, with relative `.ts` import
// specifiers rewritten to `.js`; the worker entry shims (*.mjs that register tsx) are rewritten to import the
// .js directly. Runs at image build time, outside any enclave, with the esbuild that tsx depends on.
// Afterwards every emitted file is scanned: an import of tsx or of a relative .ts file left anywhere fails the build.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const SKIP_DIRS = new Set(['node_modules', 'web']); // src/dashboard/web is the browser app, built by vite
// import/export ... from '<rel>.ts', import '<rel>.ts', import('<rel>.ts'): the forms esbuild prints.
const RELATIVE_TS = /(\b(?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]*?)\.ts\2/g;
const TSX_IMPORT = /\b(?:from|import)\s*\(?\s*["']tsx(?:\/[^"']*)?["']/;
const LEFT_TS = /\b(?:from|import)\s*\(?\s*["']\.{1,2}\/[^"'\n]*\.ts["']/;
const SHIM_REGISTER = /^import \{ register \} from 'tsx\/esm\/api';\n\nregister\(\);\n/m;

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(path, out);
    } else out.push(path);
  }
  return out;
}

export async function precompile(appDir) {
  const src = join(resolve(appDir), 'src');
  const files = walk(src, []);
  const emitted = [];
  for (const file of files) {
    if (file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.endsWith('.test.ts')) {
      const { code } = await transform(readFileSync(file, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcefile: relative(appDir, file),
        // tsconfig.json has verbatimModuleSyntax: imports stay exactly as written (type-only ones are marked `type`).
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      });
      const out = file.slice(0, -'.ts'.length) + '.js';
      writeFileSync(out, code.replace(RELATIVE_TS, '$1$2$3.js$2'));
      emitted.push(out);
    } else if (file.endsWith('.mjs')) {
      const text = readFileSync(file, 'utf8');
      if (!TSX_IMPORT.test(text)) continue;
      if (!SHIM_REGISTER.test(text)) throw new Error(`${relative(appDir, file)} imports tsx but is not a worker entry shim`);
      const imports = text.split('\n').filter((l) => /^await import\(/.test(l));
      const header = '// Worker entry of the enclave image (deploy/sgx/precompile.mjs): the precompiled worker, without tsx.\n';
      writeFileSync(file, header + imports.join('\n').replace(RELATIVE_TS, '$1$2$3.js$2') + '\n');
      emitted.push(file);
    }
  }
  for (const file of emitted) {
    const text = readFileSync(file, 'utf8');
    if (TSX_IMPORT.test(text)) throw new Error(`${relative(appDir, file)} still imports tsx`);
    if (LEFT_TS.test(text)) throw new Error(`${relative(appDir, file)} still imports a .ts file`);
  }
  return emitted.length;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appDir = process.argv[2];
  if (!appDir) {
    console.error('usage: node deploy/sgx/precompile.mjs APP_DIR');
    process.exit(2);
  }
  try {
    const n = await precompile(appDir);
    console.log(`precompiled ${n} files under ${join(appDir, 'src')}`);
  } catch (e) {
    console.error(`precompile: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
