/** How long a waiting thread polls before it sleeps (ms). */
export const POLL_MS: number;
/**
 * Returns once ctl[index] no longer holds `value`. `onPoll` runs every few hundred polls (it
 * may throw, e.g. when another thread has failed); `pollMs` is how long to poll before sleeping.
 */
export function awaitChange(ctl: Int32Array, index: number, value: number, onPoll?: () => void, pollMs?: number): void;
