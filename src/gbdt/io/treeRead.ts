// Reads one tree of an XGBoost model document (XGBoost's RegTree::LoadModel fields) and checks
// everything prediction and saving rely on: array lengths, child and parent links, a tree
// shape with no cycles or shared nodes, split features in range for every reachable split.
//
// Nodes the exact method's pruner deleted stay in the arrays, unreachable, with split index
// 2^31-1 and default_left 1 (XGBoost's deleted-node marker); `tree_param.num_deleted` counts
// them. They are kept as they are so a model saves back unchanged.
import type { DocObject, DocReader } from './docReader.ts';
import { RegTree, NO_NODE } from '../tree/regTree.ts';

/** XGBoost stores the root's missing parent as this unsigned value (1.x also accepted -1). */
const ROOT_PARENT_VALUES = new Set([2147483647, -1]);
/** Split index XGBoost gives a deleted node (RegTree::Node::MarkDelete, lower 31 bits). */
export const DELETED_SPLIT_INDEX = 2147483647;

export function readTree(r: DocReader, t: DocObject, where: string, numFeature: number): RegTree {
  const tp = r.obj(t.tree_param, `${where}.tree_param`);
  const n = r.int(tp.num_nodes, `${where}.tree_param.num_nodes`, 1, 2147483647);
  // 1.x writes size_leaf_vector 0, 2.x writes 1 (include/xgboost/tree_model.h, TreeParam
  // default); more is a multi-target tree with vector leaves.
  const leafVec = tp.size_leaf_vector === undefined ? 0 : r.int(tp.size_leaf_vector, `${where}.tree_param.size_leaf_vector`, 0);
  if (leafVec > 1) r.unsupported(`${where}.tree_param.size_leaf_vector`, `vector leaves (size_leaf_vector ${leafVec})`);

  const list = (name: string): ArrayLike<unknown> => {
    const a = r.list(t[name], `${where}.${name}`);
    if (a.length !== n) r.invalid(`${where}.${name}`, `has ${a.length} entries, num_nodes is ${n}`);
    return a;
  };
  const ints = (name: string, min: number, max: number): Int32Array => {
    const a = list(name);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        r.invalid(`${where}.${name}[${i}]`, `expected an integer in [${min}, ${max}], got ${String(v)}`);
      }
      out[i] = v as number;
    }
    return out;
  };
  const floats = (name: string): Float32Array => {
    const a = list(name);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (typeof v !== 'number' || !Number.isFinite(Math.fround(v))) {
        r.invalid(`${where}.${name}[${i}]`, `expected a finite float32, got ${String(v)}`);
      }
      out[i] = v as number;
    }
    return out;
  };

  const left = ints('left_children', -1, n - 1);
  const right = ints('right_children', -1, n - 1);
  const parentsRaw = list('parents');
  const splitIndex = ints('split_indices', 0, DELETED_SPLIT_INDEX);
  const splitCondition = floats('split_conditions');
  const baseWeight = floats('base_weights');
  const lossChg = floats('loss_changes');
  const sumHess = floats('sum_hessian');
  const dl = list('default_left');
  const defaultLeft = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = dl[i];
    if (v === 1 || v === true) defaultLeft[i] = 1;
    else if (v !== 0 && v !== false) r.invalid(`${where}.default_left[${i}]`, `expected 0 or 1, got ${String(v)}`);
  }
  if (t.split_type !== undefined) {
    const st = list('split_type');
    for (let i = 0; i < n; i++) if (st[i] !== 0) r.unsupported(`${where}.split_type[${i}]`, 'categorical splits');
  }
  if (t.categories_nodes !== undefined && r.list(t.categories_nodes, `${where}.categories_nodes`).length > 0) {
    r.unsupported(`${where}.categories_nodes`, 'categorical splits');
  }

  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = parentsRaw[i];
    if (i === 0) {
      if (typeof v !== 'number' || !ROOT_PARENT_VALUES.has(v)) r.invalid(`${where}.parents[0]`, `the root must have no parent (2147483647), got ${String(v)}`);
      parent[0] = NO_NODE;
    } else {
      // XGBoost gives every other node, deleted ones included, a parent (RegTree::LoadModel).
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
        r.invalid(`${where}.parents[${i}]`, `expected a node id in [0, ${n - 1}], got ${String(v)}`);
      }
      parent[i] = v as number;
    }
  }

  // Walk from the root: every reachable node is reached once, children point back to it, and
  // every reachable split tests a feature the model has.
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const nid = stack.pop()!;
    const l = left[nid];
    const rc = right[nid];
    if ((l === NO_NODE) !== (rc === NO_NODE)) r.invalid(`${where}.left_children[${nid}]`, `node ${nid} has only one child`);
    if (l === NO_NODE) continue;
    if (splitIndex[nid] >= numFeature) {
      r.invalid(`${where}.split_indices[${nid}]`, `split on feature ${splitIndex[nid]}, the model has ${numFeature} features`);
    }
    for (const c of [l, rc]) {
      if (seen[c]) r.invalid(`${where}.left_children[${nid}]`, `node ${c} is reached twice (cycle or shared child)`);
      if (parent[c] !== nid) r.invalid(`${where}.parents[${c}]`, `node ${c} is a child of ${nid} but its parent is ${parent[c]}`);
      seen[c] = 1;
      stack.push(c);
    }
  }

  if (tp.num_deleted !== undefined) {
    const declared = r.int(tp.num_deleted, `${where}.tree_param.num_deleted`, 0);
    let marked = 0;
    for (let i = 1; i < n; i++) if (isDeletedNode(splitIndex[i], defaultLeft[i])) marked++;
    // XGBoost refuses the file when these disagree (RegTree::LoadModel CHECK_EQ).
    if (declared !== marked) r.invalid(`${where}.tree_param.num_deleted`, `is ${declared} but ${marked} nodes are marked deleted`);
  }

  return RegTree.fromArrays({ left, right, parent, splitIndex, splitCondition, defaultLeft, baseWeight, lossChg, sumHess });
}

/** XGBoost's RegTree::Node::IsDeleted: all 32 bits of (default_left << 31 | split index) set. */
export function isDeletedNode(splitIndex: number, defaultLeft: number): boolean {
  return splitIndex === DELETED_SPLIT_INDEX && defaultLeft === 1;
}
