// Which nodes to split next (XGBoost's tree::Driver). Depthwise hands out a whole level at
// a time, in node order; lossguide hands out the single best node by loss change (ties: lower
// node id) and, like XGBoost, stops the tree as soon as that best node cannot be split.
import type { TrainParams } from '../../trainParams.ts';
import type { ExpandEntry } from './expandEntry.ts';

/** XGBoost kRtEps: smaller loss changes are treated as no gain. */
const RT_EPS = 1e-6;

export class ExpandQueue {
  private entries: ExpandEntry[] = [];
  // The root counts as a leaf before anything is split (XGBoost Driver::num_leaves_ = 1).
  private numLeaves = 1;

  constructor(private readonly p: TrainParams) {}

  push(e: ExpandEntry): void {
    this.entries.push(e);
  }

  /** Next nodes to split; `rejected` receives popped nodes that stay leaves. */
  pop(rejected: ExpandEntry[]): ExpandEntry[] {
    const q = this.entries;
    if (q.length === 0) return [];
    if (this.p.growPolicy === 'lossguide') {
      let best = 0;
      for (let i = 1; i < q.length; i++) {
        const a = q[i];
        const b = q[best];
        if (a.lossChg > b.lossChg || (a.lossChg === b.lossChg && a.nid < b.nid)) best = i;
      }
      const e = q.splice(best, 1)[0];
      if (this.isValid(e)) {
        this.numLeaves++;
        return [e];
      }
      rejected.push(e, ...q);
      this.entries = [];
      return [];
    }
    // Children are pushed in node order, so the queue is nearly always sorted already.
    if (!inNodeOrder(q)) q.sort((a, b) => a.nid - b.nid);
    const level = q[0].depth;
    const out: ExpandEntry[] = [];
    const rest: ExpandEntry[] = [];
    for (const e of q) {
      if (e.depth !== level) rest.push(e);
      else if (this.isValid(e)) {
        this.numLeaves++;
        out.push(e);
      } else rejected.push(e);
    }
    this.entries = rest;
    return out;
  }

  /** Whether the children of a node being split should be evaluated for splits of their own. */
  childrenExpandable(parent: ExpandEntry): boolean {
    if (this.p.maxDepth > 0 && parent.depth + 1 >= this.p.maxDepth) return false;
    if (this.p.maxLeaves > 0 && this.numLeaves >= this.p.maxLeaves) return false;
    return true;
  }

  private isValid(e: ExpandEntry): boolean {
    if (e.lossChg <= RT_EPS) return false;
    if (e.leftHess === 0 || e.rightHess === 0) return false;
    if (e.lossChg < this.p.gamma) return false;
    if (this.p.maxDepth > 0 && e.depth === this.p.maxDepth) return false;
    if (this.p.maxLeaves > 0 && this.numLeaves === this.p.maxLeaves) return false;
    return true;
  }
}

function inNodeOrder(q: readonly ExpandEntry[]): boolean {
  for (let i = 1; i < q.length; i++) if (q[i - 1].nid > q[i].nid) return false;
  return true;
}
