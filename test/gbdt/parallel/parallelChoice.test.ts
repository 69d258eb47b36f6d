import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThreadChoice } from '../../../src/gbdt/parallel/threadChoice.ts';
import { closeGate, leave, openGate, tryJoin } from '../../../src/gbdt/parallel/gate.ts';
import { CTL, CTL_LENGTH } from '../../../src/gbdt/parallel/protocol.ts';

/** Runs `trees` trees through a chooser whose trees take seconds(mode) each; returns the modes. */
function simulate(choice: ThreadChoice, trees: number, seconds: (together: boolean, tree: number) => number, ready = () => true): boolean[] {
  const modes: boolean[] = [];
  let now = 0;
  for (let t = 0; t < trees; t++) {
    const together = choice.next(now, ready());
    modes.push(together);
    now += 1000 * seconds(together, t);
  }
  return modes;
}

const count = (modes: boolean[], from = 0) => modes.slice(from).filter((m) => m).length;

test('adaptive: keeps the workers when two threads are faster, and still tries one thread now and then', () => {
  const modes = simulate(new ThreadChoice('adaptive'), 400, (together) => (together ? 0.001 : 0.0018));
  assert.ok(count(modes, 20) >= 370, `with workers ${count(modes, 20)} of 380`);
  assert.ok(count(modes, 20) < 380, 'one thread is tried again');
});

test('adaptive: a busy host (two threads 3x slower) falls back to one thread, probing less and less often', () => {
  const modes = simulate(new ThreadChoice('adaptive'), 500, (together) => (together ? 0.006 : 0.002));
  // Warm-up and the first trials only: at most a few percent of the trees use the workers.
  assert.ok(count(modes) <= 20, `with workers ${count(modes)} of 500`);
  assert.ok(count(modes, 250) <= 5, `late trials ${count(modes, 250)}`);
});

test('adaptive: follows a change of load in both directions', () => {
  // Quiet for 150 trees, busy for 150 (one thread slower too), quiet again.
  const busy = (t: number) => t >= 150 && t < 300;
  const modes = simulate(new ThreadChoice('adaptive'), 450, (together, t) => (busy(t) ? (together ? 0.009 : 0.003) : together ? 0.001 : 0.002));
  assert.ok(count(modes.slice(100, 150)) >= 45, 'quiet: workers');
  assert.ok(count(modes.slice(170, 300)) <= 8, `busy: alone (${count(modes.slice(170, 300))} of 130 with workers)`);
  assert.ok(count(modes.slice(330, 450)) >= 110, `quiet again: workers (${count(modes.slice(330, 450))} of 120)`);
});

test('adaptive: grows alone while the workers are starting; always and workersOnly invite them to every tree', () => {
  // The workers start after 10 trees, then warm up (not timed) and are tried against one
  // thread's times: they stay.
  const modes = simulate(new ThreadChoice('adaptive'), 20, (together) => (together ? 0.001 : 0.002), () => false);
  assert.equal(count(modes), 0);
  let tree = 0;
  const later = simulate(new ThreadChoice('adaptive'), 20, (together) => (together ? 0.001 : 0.002), () => tree++ >= 10);
  assert.deepEqual(later, [...Array(10).fill(false), ...Array(10).fill(true)]);
  // Ready from the first tree: two trees alone to compare with first.
  assert.deepEqual(simulate(new ThreadChoice('adaptive'), 5, () => 0.001), [false, false, true, true, true]);
  for (const share of ['always', 'workersOnly'] as const) assert.equal(count(simulate(new ThreadChoice(share), 50, (t) => (t ? 1 : 0.001))), 50);
  assert.equal(count(simulate(new ThreadChoice('alone'), 50, () => 0.001)), 0);
});

test('gate: a worker joins only the open command it saw, and closing waits for the workers inside', () => {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_LENGTH * 4));
  openGate(ctl, 1);
  assert.equal(tryJoin(ctl, 1), true);
  assert.equal(tryJoin(ctl, 1), true);
  assert.equal(tryJoin(ctl, 0), false, 'a late worker for the last command stays out');
  leave(ctl);
  leave(ctl);
  closeGate(ctl);
  assert.equal(tryJoin(ctl, 1), false, 'closed');
  openGate(ctl, 2);
  assert.equal(tryJoin(ctl, 1), false, 'moved on');
  // Sequence numbers wrap at 23 bits without colliding with the closed bit or the count.
  openGate(ctl, 2 ** 23 + 5);
  assert.equal(tryJoin(ctl, 5), true);
  leave(ctl);
  closeGate(ctl);
  assert.equal(ctl[CTL.gate] & 0x7f, 0);
});
