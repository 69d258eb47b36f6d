// Whether the next tree is grown with the worker threads or by the main thread alone. Trees
// are the same either way (growKernels.ts), so this is only about time: two threads win when
// a core is free for each, and lose badly when the host is busy (a descheduled worker holding
// a task makes the main thread wait) or the data are small. The chooser times each tree, from
// one tree's start to the next (gradients, levels, leaf values), keeps the mode whose recent
// trees were faster (median: one descheduled tree must not decide), and now and then tries
// the other mode: one tree, stopped there when it was clearly slower, else three whose median
// decides.
// Each trial that confirms the choice doubles the gap to the next one; a change in the current
// mode's times that could favour the other mode brings the next trial forward.

/**
 * 'adaptive' chooses by time; 'always' invites the workers to every command; 'alone' never
 * does (measurements); 'workersOnly' (tests) leaves every task to them.
 */
export type ThreadShare = 'adaptive' | 'always' | 'alone' | 'workersOnly';

/** Trees the workers take part in before their times count (JIT compilation, first touches). */
const WARM_UP_TREES = 2;
/** Trees between trials of the other mode: the first, and the most after repeated confirmations. */
const FIRST_TRIAL_GAP = 16;
const MAX_TRIAL_GAP = 128;
/** Trees in a trial whose first tree was not clearly slower (by ABORT). */
const TRIAL_TREES = 3;
const ABORT = 1.25;
/** Recent trees of the current mode, whose median is its time. */
const RECENT = 5;
/** A change of the current mode's median by this factor calls for a trial now. */
const CHANGE = 1.4;
/**
 * A trial's median must beat the current mode's by this factor to switch: on a busy host tree
 * times scatter, and a lucky trial costs many slow trees.
 */
const WIN = 0.85;

const ALONE = 0;
const TOGETHER = 1;

function median(a: readonly number[]): number {
  const s = [...a].sort((p, q) => p - q);
  return s[s.length >> 1];
}

export class ThreadChoice {
  /** The mode trees are grown in, outside trials. */
  private current = ALONE;
  /** Seconds of the current mode's last trees (at most RECENT). */
  private recent: number[] = [];
  /** Seconds of the trial's trees so far; undefined outside a trial. */
  private trial: number[] | undefined;
  private warmUp = WARM_UP_TREES;
  private gap = FIRST_TRIAL_GAP;
  private untilTrial = 0;
  /** The current mode's median when the last trial ended (NaN: none yet). */
  private baseline = Number.NaN;
  /** Trees recorded since then. */
  private since = 0;
  private lastStart = -1;
  /** The mode of the tree being grown, and whether its time counts. */
  private mode = ALONE;
  private counted = false;

  constructor(private readonly share: ThreadShare) {}

  /** At the start of a tree: true to grow it with the workers. `ready`: the workers have started. */
  next(now: number, ready: boolean): boolean {
    if (this.lastStart >= 0 && this.counted) this.record((now - this.lastStart) / 1000);
    this.lastStart = now;
    this.mode = this.choose(ready);
    return this.mode === TOGETHER;
  }

  /** The mode outside trials and the median of its recent trees' seconds (for measurements). */
  state(): { readonly together: boolean; readonly seconds: number } {
    return { together: this.current === TOGETHER, seconds: this.recent.length > 0 ? median(this.recent) : Number.NaN };
  }

  private choose(ready: boolean): number {
    this.counted = false;
    if (this.share === 'alone') return ALONE;
    if (this.share !== 'adaptive') return TOGETHER;
    if (!ready) {
      this.counted = this.current === ALONE;
      return ALONE;
    }
    // Some trees alone first, unless the workers took that long to start.
    if (this.current === ALONE && this.recent.length < 2 && this.trial === undefined) {
      this.counted = true;
      return ALONE;
    }
    if (this.warmUp > 0) {
      this.warmUp--;
      if (this.warmUp === 0 && this.current === ALONE) this.trial = [];
      return TOGETHER;
    }
    if (this.trial === undefined && --this.untilTrial <= 0) this.trial = [];
    this.counted = true;
    return this.trial !== undefined ? 1 - this.current : this.current;
  }

  private record(seconds: number): void {
    if (this.trial === undefined) {
      this.recent.push(seconds);
      if (this.recent.length > RECENT) this.recent.shift();
      // Only a change that could favour the other mode: the workers slower, or one thread faster
      // (the host got quieter).
      const m = median(this.recent);
      const changed = this.current === TOGETHER ? m > CHANGE * this.baseline : CHANGE * m < this.baseline;
      if (++this.since >= RECENT && changed) {
        this.untilTrial = 0;
        this.gap = FIRST_TRIAL_GAP;
      }
      return;
    }
    this.trial.push(seconds);
    const now = median(this.recent);
    if (this.trial.length === 1 && seconds > ABORT * now) {
      this.endTrial(false);
    } else if (this.trial.length === TRIAL_TREES) {
      this.endTrial(median(this.trial) < WIN * now);
    }
  }

  private endTrial(switchMode: boolean): void {
    if (switchMode) {
      this.current = 1 - this.current;
      this.recent = this.trial!;
      this.gap = FIRST_TRIAL_GAP;
    } else {
      this.gap = Math.min(MAX_TRIAL_GAP, 2 * this.gap);
    }
    this.untilTrial = this.gap;
    this.trial = undefined;
    this.baseline = median(this.recent);
    this.since = 0;
  }
}
