// Password entry (src/deploy/password/prompt.ts) with a fake TTY: a PassThrough standing in for process.stdin
// with isTTY and a setRawMode that records what it was asked, as node's tty.ReadStream has them
// (https://nodejs.org/api/tty.html#readstreamsetrawmodemode: "readStream.isRaw", "setRawMode(mode)").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { IoError, UsageError } from '../../src/core/index.ts';
import { PasswordEntryAborted, readPasswordNoEcho, STDIN_LIMIT, type PasswordStdin } from '../../src/deploy/password/index.ts';

class FakeTty extends PassThrough implements PasswordStdin {
  isTTY = true;
  isRaw = false;
  readonly modes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.modes.push(mode);
    this.isRaw = mode;
    return this;
  }
}

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

/** Feeds `keys` one chunk each, after the prompt is up. */
function type(stdin: PassThrough, ...keys: (string | Buffer)[]): void {
  setImmediate(() => {
    for (const k of keys) stdin.write(k);
  });
}

function assertRestored(tty: FakeTty): void {
  assert.deepEqual(tty.modes, [true, false], 'raw mode on, then back off');
  assert.equal(tty.isRaw, false);
  assert.equal(tty.listenerCount('data'), 0, 'no listener left on stdin');
  assert.equal(tty.listenerCount('end'), 0);
  assert.equal(tty.isPaused(), true, 'stdin paused again, so the process can exit');
}

test('terminal: typed twice without echo; prompts go to stderr, the password nowhere', async () => {
  const tty = new FakeTty();
  const err = sink();
  type(tty, 'vK7#qLm2-Tzr9Wp\r', 'vK7#qLm2-Tzr9Wp\r');
  assert.equal(await readPasswordNoEcho({ stdin: tty, stderr: err }), 'vK7#qLm2-Tzr9Wp');
  assertRestored(tty);
  assert.equal(err.text(), 'Password for the Kubeflow (Dex) user: \nRepeat it: \n');
});

test('terminal: backspace, DEL, Ctrl-U, arrow keys and a pasted \\r\\n are handled', async () => {
  const tty = new FakeTty();
  // "vK7#qLm2-Tzr9Wpx" + Backspace; arrow left (ESC [ D) dropped; second line: junk, Ctrl-U, then the password and \r\n.
  type(tty, 'vK7#qLm2-Tzr9Wpx\x7f', '\x1b[D', '\x1bOA', '\r', 'junk\x15vK7#qLm2-Tzr9Wpy\b\r\n');
  assert.equal(await readPasswordNoEcho({ stdin: tty, stderr: sink() }), 'vK7#qLm2-Tzr9Wp');
  assertRestored(tty);
});

test('terminal: both lines pasted in one chunk still count as two entries', async () => {
  const tty = new FakeTty();
  type(tty, 'vK7#qLm2-Tzr9Wp\rvK7#qLm2-Tzr9Wp\r');
  assert.equal(await readPasswordNoEcho({ stdin: tty, stderr: sink() }), 'vK7#qLm2-Tzr9Wp');
});

test('terminal: multi-byte characters split across chunks are put back together', async () => {
  const tty = new FakeTty();
  const euro = Buffer.from('€', 'utf8');
  type(tty, Buffer.from('Pässwört-'), euro.subarray(0, 1), euro.subarray(1), Buffer.from('-Zq9\r'), Buffer.from('Pässwört-€-Zq9\r'));
  assert.equal(await readPasswordNoEcho({ stdin: tty, stderr: sink() }), 'Pässwört-€-Zq9');
});

test('attack: terminal restored after Ctrl-C (exit code 130, nothing returned)', async () => {
  const tty = new FakeTty();
  const err = sink();
  type(tty, 'vK7#qLm', '\x03');
  await assert.rejects(readPasswordNoEcho({ stdin: tty, stderr: err }), (e: unknown) => {
    assert.ok(e instanceof PasswordEntryAborted);
    assert.equal(e.exitCode, 130);
    assert.match(e.message, /Ctrl-C/);
    return true;
  });
  assertRestored(tty);
  assert.ok(!err.text().includes('vK7#qLm'));
});

test('attack: terminal restored after Ctrl-D, end of input and a stream error', async () => {
  const a = new FakeTty();
  type(a, 'vK7#qLm2-Tzr9Wp\r', '\x04');
  await assert.rejects(readPasswordNoEcho({ stdin: a, stderr: sink() }), /Ctrl-D/);
  assertRestored(a);

  const b = new FakeTty();
  setImmediate(() => b.end('vK7#'));
  await assert.rejects(readPasswordNoEcho({ stdin: b, stderr: sink() }), (e: unknown) => e instanceof PasswordEntryAborted && /end of input/.test(e.message));
  assertRestored(b);

  const c = new FakeTty();
  setImmediate(() => c.emit('error', new Error('EIO: terminal hung up')));
  await assert.rejects(readPasswordNoEcho({ stdin: c, stderr: sink() }), (e: unknown) => e instanceof IoError && /EIO/.test(e.message));
  assertRestored(c);
});

test('attack: a terminal already in raw mode (a caller set it) is left in raw mode', async () => {
  const tty = new FakeTty();
  tty.isRaw = true;
  type(tty, '\x03');
  await assert.rejects(readPasswordNoEcho({ stdin: tty, stderr: sink() }), PasswordEntryAborted);
  assert.deepEqual(tty.modes, [true, true]);
});

test('terminal: two different entries are refused', async () => {
  const tty = new FakeTty();
  type(tty, 'vK7#qLm2-Tzr9Wp\r', 'vK7#qLm2-Tzr9Wq\r');
  await assert.rejects(readPasswordNoEcho({ stdin: tty, stderr: sink() }), (e: unknown) => e instanceof UsageError && e.code === 'deploy.password.mismatch' && !e.message.includes('vK7'));
  assertRestored(tty);
});

test('attack: an endless paste on the terminal is cut off', async () => {
  const tty = new FakeTty();
  type(tty, 'A'.repeat(5000));
  await assert.rejects(readPasswordNoEcho({ stdin: tty, stderr: sink() }), (e: unknown) => e instanceof UsageError && e.code === 'deploy.password.inputTooLarge');
  assertRestored(tty);
});

test('a terminal without setRawMode (echo cannot be turned off) is refused before anything is read', async () => {
  const tty = new PassThrough() as PassThrough & PasswordStdin;
  tty.isTTY = true;
  await assert.rejects(readPasswordNoEcho({ stdin: tty, stderr: sink() }), (e: unknown) => e instanceof UsageError && e.code === 'deploy.password.noTerminalEcho');
});

test('stdin (not a terminal): one line, its line break dropped, no prompt', async () => {
  const stdin = new PassThrough();
  const err = sink();
  stdin.end('vK7#qLm2-Tzr9Wp\n');
  assert.equal(await readPasswordNoEcho({ stdin, stderr: err }), 'vK7#qLm2-Tzr9Wp');
  assert.equal(err.text(), '');
  assert.equal(stdin.listenerCount('data'), 0);
});

test('attack: stdin with several lines, too many bytes, bad UTF-8 or nothing is refused', async () => {
  const cases: [string | Buffer, string][] = [
    ['vK7#qLm2-Tzr9Wp\nmore\n', 'deploy.password.severalLines'],
    ['y\n'.repeat(STDIN_LIMIT), 'deploy.password.inputTooLarge'],
    [Buffer.from([0xc3, 0x28, 0x0a]), 'deploy.password.notUtf8'],
    ['', 'deploy.password.empty'],
  ];
  for (const [input, code] of cases) {
    const stdin = new PassThrough();
    stdin.end(input);
    await assert.rejects(readPasswordNoEcho({ stdin, stderr: sink() }), (e: unknown) => e instanceof UsageError && e.code === code);
  }
});
