// Preloaded (--import) into the emulated enclave process by fakeGramineSgx.ts: records every attempt to start a
// child process (and fails it, as it would fail inside Gramine's enclave) and, at exit, the peak virtual memory.
// The functions are replaced on the CommonJS module object and pushed to the ES module bindings with
// syncBuiltinESMExports, so `require('child_process')` and `import { spawn } from 'node:child_process'` both see them.
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const childProcess = createRequire(import.meta.url)('node:child_process');
const log = process.env.SEALED_TEST_SPY_LOG;
const note = (line) => appendFileSync(log, `${line}\n`);
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = function refused(command) {
    note(`CHILD_PROCESS ${name} ${String(command)}`);
    throw new Error(`child process ${String(command)} inside the enclave`);
  };
}
syncBuiltinESMExports();
process.on('exit', () => {
  const peak = /VmPeak:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  note(`VmPeak ${peak ? peak[1] : 'unknown'}`);
});
