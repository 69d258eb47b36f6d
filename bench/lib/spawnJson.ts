// Runs a child process that prints one JSON object as its last stdout line, and returns it.
// Benchmarks measure inside the child (after imports), so process start-up is not timed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';

export function runJson<T>(command: string, args: readonly string[], timeoutMs = 600_000): T {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Runs a Python snippet with /usr/bin/python3; `args` become sys.argv[1:]. */
export function runPythonJson<T>(script: string, args: readonly string[] = [], timeoutMs?: number): T {
  return runJson<T>(PYTHON, ['-c', script, ...args], timeoutMs);
}

/** Runs a TypeScript file under node + tsx. */
export function runNodeJson<T>(scriptUrlOrPath: string | URL, args: readonly string[] = [], timeoutMs?: number): T {
  const path = scriptUrlOrPath instanceof URL ? fileURLToPath(scriptUrlOrPath) : scriptUrlOrPath;
  return runJson<T>(process.execPath, ['--import', 'tsx', path, ...args], timeoutMs);
}

/** Whether /usr/bin/python3 exists and imports all the given modules. */
export function pythonHas(...modules: string[]): boolean {
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}
