// `sealed deploy hash-password` on a real terminal and through a pipe, as a user runs it. util-linux `script`
// gives the command a real pseudo-terminal (man 1 script: "-c command", "-e return child's exit code",
// "-q quiet"); what the test reads from script is what the user's screen would show, so a password that the
// terminal echoed would be in it. After the command, `stty -a` on the same terminal shows whether echo and
// canonical mode came back (man 1 stty: "[-]echo", "[-]icanon").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/sharedData.ts';

const SEALED = join(repoRoot, 'bin', 'sealed');
const PASSWORD = 'vK7#qLm2-Tzr9Wp';

interface Screen {
  code: number | null;
  screen: string;
}

/** Runs `command` on a fresh pseudo-terminal; `keys(screen)` returns what to type once the screen shows something. */
function onTerminal(command: string, keys: (screen: string) => string | undefined): Promise<Screen> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: repoRoot, env: { ...process.env, TERM: 'dumb' } });
    let screen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terminal session timed out; screen so far: ${JSON.stringify(screen)}`));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      const typed = keys(screen);
      if (typed !== undefined) child.stdin.write(typed);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

/** Types each entry once its prompt has appeared (typing earlier would be echoed by the still-cooked terminal). */
function answer(entries: string[]): (screen: string) => string | undefined {
  const prompts = ['Password for the Kubeflow (Dex) user: ', 'Repeat it: '];
  let sent = 0;
  return (screen) => {
    if (sent < entries.length && screen.includes(prompts[sent])) return entries[sent++];
    return undefined;
  };
}

const run = `'${process.execPath}' '${SEALED}' deploy hash-password; echo "exit=$?"; stty -a`;

test('real terminal: the password is never echoed, the hash is printed, echo comes back', async () => {
  const { screen } = await onTerminal(run, answer([`${PASSWORD}\r`, `${PASSWORD}\r`]));
  assert.ok(!screen.includes(PASSWORD), `the password appeared on the screen: ${JSON.stringify(screen)}`);
  assert.match(screen, /\$2y\$12\$[./A-Za-z0-9]{53}/);
  assert.match(screen, /exit=0/);
  assert.match(screen, /(^|\s)echo(\s|$)/m, 'echo restored');
  assert.match(screen, /(^|\s)icanon(\s|$)/m, 'canonical mode restored');
});

test('attack: real terminal restored after Ctrl-C halfway through the password (exit 130)', async () => {
  const { screen } = await onTerminal(run, answer(['vK7#qLm\x03']));
  assert.ok(!screen.includes('vK7#qLm'));
  assert.match(screen, /cancelled \(Ctrl-C\)/);
  assert.match(screen, /exit=130/);
  assert.match(screen, /(^|\s)echo(\s|$)/m);
  assert.match(screen, /(^|\s)isig(\s|$)/m, 'Ctrl-C signals work again');
});

test('pipe: one line of stdin gives only the hash on stdout; a weak one exits 2 with one line on stderr', () => {
  const ok = spawnSync(process.execPath, [SEALED, 'deploy', 'hash-password'], { input: `${PASSWORD}\n`, encoding: 'utf8', timeout: 60_000 });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^\$2y\$12\$[./A-Za-z0-9]{53}\n$/);
  assert.ok(!ok.stderr.includes(PASSWORD));
  const weak = spawnSync(process.execPath, [SEALED, 'deploy', 'hash-password'], { input: 'password1234\n', encoding: 'utf8', timeout: 60_000 });
  assert.equal(weak.status, 2);
  assert.equal(weak.stdout, '');
  assert.equal(weak.stderr.trim().split('\n').length, 1, weak.stderr);
  assert.ok(!weak.stderr.includes('password1234'));
});
