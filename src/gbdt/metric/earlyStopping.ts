// early_stopping_rounds with the semantics of XGBoost 1.7's Python `train` (callback.EarlyStopping
// with its defaults): the last eval set's last metric decides; the first round sets the best
// score; a later score must be strictly better (greater for metrics where higher is better,
// smaller otherwise; NaN never is) to become the best; training stops once `rounds` rounds in
// a row brought no improvement. All trees are kept (save_best is off); the best round is
// recorded in the model attributes best_iteration and best_score, counting rounds of a
// continued model too.
import { pythonFloatRepr } from '../common/pythonFloat.ts';

export class EarlyStopping {
  private best: number | undefined;
  private sinceBest = 0;
  bestIteration = -1;

  constructor(
    private readonly rounds: number,
    private readonly higherIsBetter: boolean,
  ) {}

  /** Records round `iteration`'s score; true when training should stop now. */
  update(iteration: number, score: number): boolean {
    if (this.best === undefined || this.improves(score, this.best)) {
      this.best = score;
      this.bestIteration = iteration;
      this.sinceBest = 0;
    } else {
      this.sinceBest++;
    }
    return this.sinceBest >= this.rounds;
  }

  get bestScore(): number | undefined {
    return this.best;
  }

  /** The attributes XGBoost's callback sets on the model (best_score as Python's str of the float). */
  attributes(): Record<string, string> {
    if (this.best === undefined) return {};
    return { best_score: pythonFloatRepr(this.best), best_iteration: String(this.bestIteration) };
  }

  private improves(score: number, best: number): boolean {
    return this.higherIsBetter ? score > best : best > score;
  }
}
