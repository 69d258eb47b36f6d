// The gate of a command: one control word holding the command's tag (its sequence number,
// 23 bits), a closed bit and how many workers are inside. A worker joins only while the gate
// is open for the command it saw; the main thread closes it once every task is claimed and
// then waits only for the workers inside. A worker that wakes late (descheduled, asleep, still
// loading) finds the gate closed or moved on and does nothing: nobody waits for it.
import { awaitChange } from './awaitChange.mjs';
import { CTL } from './protocol.ts';

const INSIDE = 0x7f;
const CLOSED = 0x80;
const TAG_BITS = 23;

function tagOf(seq: number): number {
  return (seq & ((1 << TAG_BITS) - 1)) << 8;
}

/** Opens the gate for command `seq` (nobody inside: the last command's gate was emptied). */
export function openGate(ctl: Int32Array, seq: number): void {
  Atomics.store(ctl, CTL.gate, tagOf(seq));
}

/** Enters the gate of command `seq`: false when it is closed or open for another command. */
export function tryJoin(ctl: Int32Array, seq: number): boolean {
  const tag = tagOf(seq);
  for (;;) {
    const g = Atomics.load(ctl, CTL.gate);
    if ((g & ~(INSIDE | CLOSED)) !== tag || (g & CLOSED) !== 0 || (g & INSIDE) === INSIDE) return false;
    if (Atomics.compareExchange(ctl, CTL.gate, g, g + 1) === g) return true;
  }
}

export function leave(ctl: Int32Array): void {
  if ((Atomics.sub(ctl, CTL.gate, 1) & INSIDE) === 1) Atomics.notify(ctl, CTL.gate);
}

/** Closes the gate and returns once every worker that joined has left. */
export function closeGate(ctl: Int32Array, onPoll?: () => void): void {
  for (let g = Atomics.or(ctl, CTL.gate, CLOSED) | CLOSED; (g & INSIDE) !== 0; g = Atomics.load(ctl, CTL.gate)) awaitChange(ctl, CTL.gate, g, onPoll);
}
