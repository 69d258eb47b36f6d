// `sealed ui` as a separate process for the browser tests: started with the given arguments,
// resolved with the URL it reports listening on (30 s at most), or rejected with its stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/sharedData.ts';

export function spawnUi(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/sealed'), 'ui', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`sealed ui did not start: ${text}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /listening on (https?:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => reject(new Error(`sealed ui exited with ${code}: ${text}`)));
  });
  return { child, url };
}
