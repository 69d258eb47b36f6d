// The root-to-leaf paths of a forest, flattened for TreeSHAP. A leaf's path is what TreeSHAP's
// recursion builds on the way down: its unique features, each with the fraction of the training
// cover that followed the path through that feature's splits (`zero`, the product over those
// splits) and the set of values that follow it (`one` is 1 when the row's value is in it). A
// feature split on twice is one element whose interval is the intersection, exactly what the
// recursion's unwind + extend yields. Precomputing the paths once makes each row a flat loop
// over them, with no per-node copying of path state.
import type { RegTree } from '../tree/regTree.ts';

export interface LeafPaths {
  readonly numPaths: number;
  /** Elements of path p: [start[p], start[p + 1]). */
  readonly start: Int32Array;
  /** How many leading elements path p has in common with path p - 1 (depth-first order makes it most). */
  readonly shared: Int32Array;
  readonly leafValue: Float64Array;
  /** Output group of each path's tree. */
  readonly group: Int32Array;
  readonly feature: Int32Array;
  /** The row follows the path through this feature when lo <= x < hi (float32), or x is missing and nanOk. */
  readonly lo: Float32Array;
  readonly hi: Float32Array;
  readonly nanOk: Uint8Array;
  readonly zero: Float64Array;
  /** Longest path (unique features). */
  readonly maxLength: number;
}

interface Element {
  feature: number;
  lo: number;
  hi: number;
  nanOk: boolean;
  zero: number;
}

export function leafPaths(trees: readonly RegTree[], treeGroup: readonly number[]): LeafPaths {
  const start: number[] = [0];
  const shared: number[] = [];
  let previous: readonly Element[] = [];
  const leafValue: number[] = [];
  const group: number[] = [];
  const feature: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const nanOk: number[] = [];
  const zero: number[] = [];
  let maxLength = 0;

  const visit = (t: RegTree, g: number, nid: number, path: readonly Element[]): void => {
    if (t.isLeaf(nid)) {
      let same = 0;
      while (same < path.length && same < previous.length && sameElement(path[same], previous[same])) same++;
      shared.push(same);
      previous = path;
      for (const e of path) {
        feature.push(e.feature);
        lo.push(e.lo);
        hi.push(e.hi);
        nanOk.push(e.nanOk ? 1 : 0);
        zero.push(e.zero);
      }
      start.push(feature.length);
      leafValue.push(t.leafValue(nid));
      group.push(g);
      maxLength = Math.max(maxLength, path.length);
      return;
    }
    const f = t.splitIndex[nid];
    const cond = t.splitCondition[nid];
    const at = path.findIndex((e) => e.feature === f);
    const prior: Element = at >= 0 ? path[at] : { feature: f, lo: -Infinity, hi: Infinity, nanOk: true, zero: 1 };
    const rest = at >= 0 ? [...path.slice(0, at), ...path.slice(at + 1)] : path;
    for (const goLeft of [true, false]) {
      const child = goLeft ? t.left[nid] : t.right[nid];
      const element: Element = {
        feature: f,
        lo: goLeft ? prior.lo : Math.max(prior.lo, cond),
        hi: goLeft ? Math.min(prior.hi, cond) : prior.hi,
        nanOk: prior.nanOk && (t.defaultLeft[nid] === 1) === goLeft,
        zero: prior.zero * (t.sumHess[child] / t.sumHess[nid]),
      };
      visit(t, g, child, [...rest, element]);
    }
  };
  trees.forEach((t, i) => visit(t, treeGroup[i], 0, []));

  return {
    numPaths: leafValue.length,
    start: Int32Array.from(start),
    shared: Int32Array.from(shared),
    leafValue: Float64Array.from(leafValue),
    group: Int32Array.from(group),
    feature: Int32Array.from(feature),
    lo: Float32Array.from(lo),
    hi: Float32Array.from(hi),
    nanOk: Uint8Array.from(nanOk),
    zero: Float64Array.from(zero),
    maxLength,
  };
}

function sameElement(a: Element, b: Element): boolean {
  return a.feature === b.feature && a.lo === b.lo && a.hi === b.hi && a.nanOk === b.nanOk && a.zero === b.zero;
}

/** The tree's expected value: its leaves weighted by training cover. */
export function expectedValue(t: RegTree, nid = 0): number {
  if (t.isLeaf(nid)) return t.leafValue(nid);
  const l = t.left[nid];
  const r = t.right[nid];
  return (expectedValue(t, l) * t.sumHess[l] + expectedValue(t, r) * t.sumHess[r]) / t.sumHess[nid];
}
