// Whole-process wall time and peak RSS of a child command, measured from outside, so that
// start-up, imports and I/O count the same for every contestant.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessStats {
  seconds: number;
  peakRssBytes: number;
  stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs `command args`; peak RSS via GNU time when installed, else by polling /proc. */
export function measureProcess(command: string, args: readonly string[], cwd?: string): Promise<ProcessStats> {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? ['-f', '__PEAK_KB__ %M', command, ...args] : [...args];
  const started = performance.now();
  const child = spawn(useTime ? GNU_TIME : command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let polledKb = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polledKb = Math.max(polledKb, Number(m[1]));
        } catch {
          // the process has just exited
        }
      }, 20);
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        reject(new Error(`${command} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      const m = /__PEAK_KB__ (\d+)/.exec(stderr);
      resolve({ seconds, peakRssBytes: (m ? Number(m[1]) : polledKb) * 1024, stdout });
    });
  });
}
