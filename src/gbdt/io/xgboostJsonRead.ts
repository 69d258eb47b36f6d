// Reads an XGBoost JSON model (as Python XGBoost 1.x writes with `save_model("*.json")`)
// into the canonical model, checking everything prediction relies on: array lengths, child
// and parent links, a tree shape with no cycles or shared nodes, feature indices in range.
// Anything we cannot predict with the same result (dart, gblinear, multi-class, categorical
// splits, vector leaves) is refused as unsupported rather than silently misread.
import { ModelError, type Location } from '../../core/index.ts';
import type { GbdtModel } from '../model.ts';
import { isSupportedObjective } from '../objective/index.ts';
import { RegTree, NO_NODE } from '../tree/regTree.ts';

type Json = unknown;
type Obj = Record<string, Json>;

const ROOT_PARENT_VALUES = new Set([2147483647, -1]);

export function fromXgboostJson(text: string, file?: string): GbdtModel {
  const at = (field: string): Location => (file === undefined ? { field } : { file, field });
  const invalid = (field: string, reason: string): never => {
    throw new ModelError('gbdt.modelInvalid', { reason }, { location: at(field) });
  };
  const unsupported = (field: string, what: string): never => {
    throw new ModelError('gbdt.modelUnsupported', { what }, { location: at(field) });
  };

  let root: Json;
  try {
    root = JSON.parse(text);
  } catch (e) {
    return invalid('', `not JSON (${(e as Error).message})`);
  }
  const obj = (v: Json, field: string): Obj =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : invalid(field, 'expected an object');
  const arr = (v: Json, field: string): Json[] => (Array.isArray(v) ? v : invalid(field, 'expected an array'));
  const str = (v: Json, field: string): string => (typeof v === 'string' ? v : invalid(field, 'expected a string'));
  const numText = (v: Json, field: string): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : invalid(field, `expected a number, got ${JSON.stringify(v)}`);
  };
  const intText = (v: Json, field: string, min: number): number => {
    const n = numText(v, field);
    return Number.isInteger(n) && n >= min ? n : invalid(field, `expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  };

  const top = obj(root, '');
  const version = top.version;
  if (version !== undefined) {
    const v = arr(version, 'version');
    if (typeof v[0] !== 'number') invalid('version', 'expected [major, minor, patch]');
    if (v[0] !== 1 && v[0] !== 2) unsupported('version', `format version ${v.join('.')}`);
  }
  const learner = obj(top.learner, 'learner');
  const lmp = obj(learner.learner_model_param, 'learner.learner_model_param');
  const numFeature = intText(lmp.num_feature, 'learner.learner_model_param.num_feature', 0);
  const numClass = intText(lmp.num_class ?? '0', 'learner.learner_model_param.num_class', 0);
  if (numClass > 1) unsupported('learner.learner_model_param.num_class', `multi-class model (num_class ${numClass})`);
  if (lmp.num_target !== undefined) {
    const t = intText(lmp.num_target, 'learner.learner_model_param.num_target', 1);
    if (t !== 1) unsupported('learner.learner_model_param.num_target', `multi-target model (num_target ${t})`);
  }
  const baseScore = Math.fround(numText(lmp.base_score, 'learner.learner_model_param.base_score'));

  const objective = str(obj(learner.objective, 'learner.objective').name, 'learner.objective.name');
  if (!isSupportedObjective(objective)) unsupported('learner.objective.name', `objective '${objective}'`);
  if (objective === 'binary:logistic' && !(baseScore > 0 && baseScore < 1)) {
    invalid('learner.learner_model_param.base_score', `base_score ${baseScore} must be in (0, 1) for binary:logistic`);
  }

  const gb = obj(learner.gradient_booster, 'learner.gradient_booster');
  const gbName = str(gb.name, 'learner.gradient_booster.name');
  if (gbName !== 'gbtree') unsupported('learner.gradient_booster.name', `booster '${gbName}' (only gbtree)`);
  const model = obj(gb.model, 'learner.gradient_booster.model');
  const treesJson = arr(model.trees, 'learner.gradient_booster.model.trees');
  const param = obj(model.gbtree_model_param, 'learner.gradient_booster.model.gbtree_model_param');
  const numTrees = intText(param.num_trees, 'learner.gradient_booster.model.gbtree_model_param.num_trees', 0);
  if (numTrees !== treesJson.length) {
    invalid('learner.gradient_booster.model.trees', `${treesJson.length} trees but num_trees is ${numTrees}`);
  }
  const treeInfo = arr(model.tree_info, 'learner.gradient_booster.model.tree_info');
  if (treeInfo.length !== numTrees) {
    invalid('learner.gradient_booster.model.tree_info', `${treeInfo.length} entries for ${numTrees} trees`);
  }
  if (treeInfo.some((g) => g !== 0)) unsupported('learner.gradient_booster.model.tree_info', 'trees for more than one output group');

  const trees = treesJson.map((t, i) => readTree(obj(t, `trees[${i}]`), `learner.gradient_booster.model.trees[${i}]`));

  function readTree(t: Obj, where: string): RegTree {
    const tp = obj(t.tree_param, `${where}.tree_param`);
    const n = intText(tp.num_nodes, `${where}.tree_param.num_nodes`, 1);
    const leafVec = tp.size_leaf_vector === undefined ? 0 : intText(tp.size_leaf_vector, `${where}.tree_param.size_leaf_vector`, 0);
    if (leafVec > 1) unsupported(`${where}.tree_param.size_leaf_vector`, 'vector leaves');
    const list = (name: string): Json[] => {
      const a = arr(t[name], `${where}.${name}`);
      if (a.length !== n) invalid(`${where}.${name}`, `has ${a.length} entries, num_nodes is ${n}`);
      return a;
    };
    const ints = (name: string, min: number, max: number): Int32Array => {
      const a = list(name);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = a[i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
          invalid(`${where}.${name}[${i}]`, `expected an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
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
        if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${where}.${name}[${i}]`, `expected a finite number, got ${JSON.stringify(v)}`);
        out[i] = v as number;
      }
      return out;
    };
    const left = ints('left_children', -1, n - 1);
    const right = ints('right_children', -1, n - 1);
    const parentsRaw = list('parents');
    const splitIndex = ints('split_indices', 0, Math.max(0, numFeature - 1));
    const splitCondition = floats('split_conditions');
    const baseWeight = floats('base_weights');
    const lossChg = floats('loss_changes');
    const sumHess = floats('sum_hessian');
    const dl = list('default_left');
    const defaultLeft = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = dl[i];
      if (v === 1 || v === true) defaultLeft[i] = 1;
      else if (v !== 0 && v !== false) invalid(`${where}.default_left[${i}]`, `expected 0 or 1, got ${JSON.stringify(v)}`);
    }
    if (t.split_type !== undefined) {
      const st = list('split_type');
      const cat = st.findIndex((v) => v !== 0);
      if (cat >= 0) unsupported(`${where}.split_type[${cat}]`, 'categorical splits');
    }

    const parent = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = parentsRaw[i];
      if (typeof v !== 'number' || !Number.isInteger(v)) invalid(`${where}.parents[${i}]`, `expected an integer, got ${JSON.stringify(v)}`);
      parent[i] = ROOT_PARENT_VALUES.has(v as number) ? NO_NODE : (v as number);
    }
    // Walk from the root: every reachable node is reached once, children point back to it.
    const seen = new Uint8Array(n);
    const stack = [0];
    seen[0] = 1;
    if (parent[0] !== NO_NODE) invalid(`${where}.parents[0]`, 'the root must have no parent');
    while (stack.length > 0) {
      const nid = stack.pop()!;
      const l = left[nid];
      const r = right[nid];
      if ((l === NO_NODE) !== (r === NO_NODE)) invalid(`${where}.left_children[${nid}]`, `node ${nid} has only one child`);
      if (l === NO_NODE) continue;
      for (const c of [l, r]) {
        if (seen[c]) invalid(`${where}.left_children[${nid}]`, `node ${c} is reached twice (cycle or shared child)`);
        if (parent[c] !== nid) invalid(`${where}.parents[${c}]`, `node ${c} is a child of ${nid} but its parent is ${parent[c]}`);
        seen[c] = 1;
        stack.push(c);
      }
    }
    return RegTree.fromArrays({ left, right, parent, splitIndex, splitCondition, defaultLeft, baseWeight, lossChg, sumHess });
  }

  const stringList = (v: Json, field: string): string[] =>
    v === undefined ? [] : arr(v, field).map((s, i) => str(s, `${field}[${i}]`));
  const featureNames = stringList(learner.feature_names, 'learner.feature_names');
  const featureTypes = stringList(learner.feature_types, 'learner.feature_types');
  if (featureNames.length !== 0 && featureNames.length !== numFeature) {
    invalid('learner.feature_names', `${featureNames.length} names for ${numFeature} features`);
  }
  const badType = featureTypes.findIndex((s) => s !== 'float' && s !== 'q' && s !== 'int' && s !== 'i');
  if (badType >= 0) unsupported(`learner.feature_types[${badType}]`, `feature type '${featureTypes[badType]}'`);
  const attributes: Record<string, string> = {};
  if (learner.attributes !== undefined) {
    for (const [k, v] of Object.entries(obj(learner.attributes, 'learner.attributes'))) {
      attributes[k] = str(v, `learner.attributes.${k}`);
    }
  }
  return { objective, baseScore, numFeature, numClass, trees, treeInfo: trees.map(() => 0), featureNames, featureTypes, attributes };
}
