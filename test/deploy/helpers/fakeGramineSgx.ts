// Stands in for `gramine-sgx sealed-executor` where there is no SGX and no Gramine, doing what the manifest tells
// Gramine to do about the process it starts (Documentation/manifest-syntax.rst@v1.9), so the enclave's start path
// (run-enclave -> gramine-sgx -> loader.argv -> sealed-executor.mjs -> executorMain) runs for real:
//  - the manifest is read from the current folder (run-enclave cd's there) and must pass checkManifest;
//  - argv is loader.argv exactly ("Command-line arguments": the host's arguments are ignored), `node` being this
//    Node and /app/ the app folder (SEALED_APP_DIR), as the chroot mount maps it;
//  - the environment is loader.env only ("Environment variables": fixed values, plus passthrough ones taken from the
//    host when set; nothing else, not even PATH). LD_LIBRARY_PATH is Gramine's own library path and is left out;
//  - the mounts the manifest makes are emulated by paths: TMPDIR (a tmpfs inside the enclave) is a fresh folder,
//    and /tmp/sealed-enclave is SEALED_ENCLAVE_IO, which the entry script learns through SEALED_ENCLAVE_ARGV_FILE.
// Instrumentation, not emulation: with SEALED_TEST_SPY_LOG set, `--import enclaveSpy.mjs` records every child
// process the enclave tries to start (Gramine cannot run them) and its peak virtual memory (VmPeak), which a
// non-EDMM enclave must hold within sgx.enclave_size.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkManifest, parseToml, type TomlTable } from '../../../src/seal/enclave/index.ts';

const manifestName = process.argv[2];
const manifest = parseToml(readFileSync(`${manifestName}.manifest`, 'utf8'), `${manifestName}.manifest`);
checkManifest(manifest, `${manifestName}.manifest`);
const app = process.env.SEALED_APP_DIR ?? '/app';
const io = process.env.SEALED_ENCLAVE_IO ?? '/tmp/sealed-enclave';

const loader = manifest.loader as TomlTable;
const env: Record<string, string> = {};
for (const [name, value] of Object.entries(loader.env as TomlTable)) {
  if (name === 'LD_LIBRARY_PATH') continue;
  if (typeof value === 'string') env[name] = value;
  else if ((value as TomlTable).passthrough === true && process.env[name] !== undefined) env[name] = process.env[name]!;
}
if (env.TMPDIR !== undefined) env.TMPDIR = mkdtempSync(join(tmpdir(), 'sealed-tmpfs-'));
env.SEALED_ENCLAVE_ARGV_FILE = join(io, 'argv');
const spy = process.env.SEALED_TEST_SPY_LOG;
if (spy) env.SEALED_TEST_SPY_LOG = spy;

const [, ...rest] = loader.argv as string[];
const args = rest.map((a) => (a.startsWith('/app/') ? join(app, a.slice('/app/'.length)) : a));
if (spy) args.splice(args.length - 1, 0, '--import', pathToFileURL(join(import.meta.dirname, 'enclaveSpy.mjs')).href);
const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
