// Brute-force brake on POST /api/login: after `attempts` failed logins from one address within
// `windowMs`, that address gets 429 until its oldest failure leaves the window. A successful
// login clears the address's record.
export const DEFAULT_LOGIN_ATTEMPTS = 5;
export const DEFAULT_LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Addresses tracked before old entries are swept, so a flood of addresses cannot grow the map without end. */
const SWEEP_AT = 10_000;

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly attempts: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Whole seconds until `address` may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    const recent = this.#recent(address, this.now());
    if (recent.length < this.attempts) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.attempts] + this.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const t = this.now();
    if (this.#failures.size >= SWEEP_AT) for (const key of [...this.#failures.keys()]) this.#recent(key, t);
    this.#failures.set(address, [...this.#recent(address, t), t]);
  }

  reset(address: string): void {
    this.#failures.delete(address);
  }

  #recent(address: string, t: number): number[] {
    const recent = (this.#failures.get(address) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, recent);
    return recent;
  }
}
