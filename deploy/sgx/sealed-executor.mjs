// The enclave's entry script (loader.argv in sealed-executor.manifest.template): the same executor as
// bin/sealed-executor, started from the precompiled JavaScript (deploy/sgx/precompile.mjs), so nothing inside
// the enclave loads tsx or starts a child process.
// Its arguments are not on the command line, which the manifest fixes so that the host cannot choose code or
// Node flags: run-enclave.sh wrote them, NUL-separated, to /tmp/sealed-enclave/argv (an allowed, host-visible
// file). They are the same untrusted data the command line would carry: --component NAME --executor-input JSON.
import { readFileSync } from 'node:fs';

// Inside the enclave the manifest sets no such variable, so the fixed path holds; tests of the path without SGX
// point it at their own folder.
const ARGV_FILE = process.env.SEALED_ENCLAVE_ARGV_FILE ?? '/tmp/sealed-enclave/argv';
// A KFP argument is at most 128 KiB (Linux MAX_ARG_STRLEN), so the task's arguments fit well within this.
const MAX_ARGV_BYTES = 4 * 1024 * 1024;

function taskArguments() {
  let bytes;
  try {
    bytes = readFileSync(ARGV_FILE);
  } catch (e) {
    throw new Error(`cannot read the task's arguments from ${ARGV_FILE} (${e.code ?? e.message}); start the enclave with run-enclave.sh`);
  }
  if (bytes.length > MAX_ARGV_BYTES) throw new Error(`${ARGV_FILE} is larger than ${MAX_ARGV_BYTES} bytes`);
  const text = bytes.toString('utf8');
  if (!text.endsWith('\0')) throw new Error(`${ARGV_FILE} is cut short (its last argument has no terminating NUL)`);
  return text.slice(0, -1).split('\0');
}

let args;
try {
  args = taskArguments();
} catch (e) {
  process.stderr.write(`sealed-executor: ${e.message}\n`);
  process.exit(2);
}
const { executorMain } = await import('../../src/cli/executorMain.js');
process.exitCode = await executorMain(args);
