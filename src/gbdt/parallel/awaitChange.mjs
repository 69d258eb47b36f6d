// How training threads wait for each other. The main thread's work between two steps (the
// next level's tasks) often takes longer than a short spin, and a thread that went to sleep
// in Atomics.wait takes ~0.1 ms to wake (measured here: 65% of the steps found the worker
// asleep, ~2.3 ms per boosting round) — more on a busy host, where a halted vCPU must be
// scheduled again. So a waiting thread polls for up to POLL_MS of wall-clock time (a count of
// polls would mean different times on different machines) before it sleeps; training workers
// poll longer while the main thread is using them (workerExecutor.ts).
//
// Plain JavaScript (types in awaitChange.d.mts): the scoring workers load it without the
// TypeScript loader, which would add ~0.2 s to their start.

/** How long a waiting thread polls before it sleeps. */
export const POLL_MS = 1;
/** Sleeps are bounded so that a missed wake-up cannot hang training. */
const SLEEP_MS = 100;

/**
 * Returns once ctl[index] no longer holds `value`. `onPoll` runs every few hundred polls (it
 * may throw, e.g. when another thread has failed); `pollMs` is how long to poll before sleeping.
 */
export function awaitChange(ctl, index, value, onPoll, pollMs = POLL_MS) {
  let deadline = 0;
  for (let polls = 1; Atomics.load(ctl, index) === value; polls++) {
    if ((polls & 255) !== 0) continue;
    onPoll?.();
    const now = performance.now();
    if (deadline === 0) deadline = now + pollMs;
    else if (now > deadline) Atomics.wait(ctl, index, value, SLEEP_MS);
  }
}
