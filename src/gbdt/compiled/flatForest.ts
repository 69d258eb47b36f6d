// The compiled ("flat") form of a boosted model: every tree re-laid out breadth-first into
// shared arrays with the two children of a split stored next to each other, so traversal is
// `node = child[node] + (x < value ? 0 : 1)` over a few contiguous typed arrays instead of
// chasing per-tree objects. Leaves have feature -1 and hold their value in `value`.
import { numGroup, type GbdtModel } from '../model.ts';

export interface FlatForest {
  readonly numFeature: number;
  readonly featureNames: readonly string[];
  readonly objective: string;
  /** Margin every prediction starts from (float32), already in margin space. */
  readonly baseMargin: number;
  /** Outputs per row: 1, or the number of classes (XGBoost num_class). */
  readonly numGroup: number;
  /** The output group (class) each tree adds to. */
  readonly treeGroup: Int32Array;
  /** treeStart[t] is the root of tree t; treeStart[numTrees] = number of nodes. */
  readonly treeStart: Int32Array;
  readonly feature: Int32Array;
  readonly child: Int32Array;
  readonly value: Float32Array;
  readonly defaultLeft: Uint8Array;
}

export function flattenModel(model: GbdtModel, baseMargin: number): FlatForest {
  let total = 0;
  for (const t of model.trees) total += t.numNodes;
  const feature = new Int32Array(total);
  const child = new Int32Array(total);
  const value = new Float32Array(total);
  const defaultLeft = new Uint8Array(total);
  const treeStart = new Int32Array(model.trees.length + 1);
  let next = 0;
  model.trees.forEach((tree, t) => {
    treeStart[t] = next;
    // Breadth-first: queue holds original node ids; position in the queue is the new id.
    const queue = [0];
    const base = next;
    for (let q = 0; q < queue.length; q++) {
      const nid = queue[q];
      const at = base + q;
      if (tree.left[nid] === -1) {
        feature[at] = -1;
        value[at] = tree.splitCondition[nid];
        child[at] = -1;
      } else {
        feature[at] = tree.splitIndex[nid];
        value[at] = tree.splitCondition[nid];
        defaultLeft[at] = tree.defaultLeft[nid];
        child[at] = base + queue.length;
        queue.push(tree.left[nid], tree.right[nid]);
      }
    }
    next = base + queue.length;
  });
  treeStart[model.trees.length] = next;
  // Pruned nodes (XGBoost's exact method deletes some) are unreachable and were not copied.
  const used = <T extends Int32Array | Float32Array | Uint8Array>(a: T): T => (next === total ? a : (a.slice(0, next) as T));
  return {
    numFeature: model.numFeature,
    featureNames: model.featureNames,
    objective: model.objective,
    baseMargin,
    numGroup: numGroup(model),
    treeGroup: Int32Array.from(model.treeInfo),
    treeStart,
    feature: used(feature),
    child: used(child),
    value: used(value),
    defaultLeft: used(defaultLeft),
  };
}
