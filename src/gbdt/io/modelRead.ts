// Reads a parsed XGBoost model document (the same tree of objects whether it came from a
// `.json` or a `.ubj` file) into the canonical model. Accepts what XGBoost 1.x and 2.x write:
//
// - 2.x adds `gradient_booster.model.iteration_indptr` (tree offsets of each boosting round;
//   src/gbm/gbtree_model.cc, GBTreeModel::SaveModel) and drops `size_leaf_vector` from
//   `gbtree_model_param` (doc/model.schema); trees carry size_leaf_vector "1" instead of "0".
// - base_score stays one float text in 1.x and 2.x (src/learner.cc, LearnerModelParamLegacy::
//   ToJson); 2.x estimates it from the data by default, which changes its value, not its meaning.
//
// Anything we cannot predict with the same result is refused as unsupported rather than
// silently misread: dart and gblinear boosters, multi-target models (num_target > 1, vector
// leaves), categorical splits, format versions other than 1.x and 2.x.
import type { GbdtModel } from '../model.ts';
import { baseScoreIsProbability, createObjective, isMultiClassObjective, isSupportedObjective } from '../objective/index.ts';
import type { RegTree } from '../tree/regTree.ts';
import { describe, type DocObject, type DocReader } from './docReader.ts';
import { readTree } from './treeRead.ts';

const FEATURE_TYPES = new Set(['float', 'q', 'int', 'i']);
const LMP = 'learner.learner_model_param';
const GBM = 'learner.gradient_booster.model';

export function modelFromDocument(root: unknown, r: DocReader): GbdtModel {
  const top = r.obj(root, '');
  if (top.version !== undefined) {
    const v = r.list(top.version, 'version');
    if (v.length < 1 || typeof v[0] !== 'number') r.invalid('version', 'expected [major, minor, patch]');
    if (v[0] !== 1 && v[0] !== 2) unsupportedVersion(r, v);
  }
  const learner = r.obj(top.learner, 'learner');
  const lmp = r.obj(learner.learner_model_param, LMP);
  const numFeature = r.int(lmp.num_feature, `${LMP}.num_feature`, 0, 2147483647);
  const numClass = r.int(lmp.num_class ?? '0', `${LMP}.num_class`, 0, 2147483647);
  if (lmp.num_target !== undefined) {
    const t = r.int(lmp.num_target, `${LMP}.num_target`, 1);
    if (t !== 1) r.unsupported(`${LMP}.num_target`, `multi-target model (num_target ${t})`);
  }
  const baseScore = Math.fround(r.num(lmp.base_score, `${LMP}.base_score`));
  const boostFromAverage =
    lmp.boost_from_average === undefined ? true : r.int(lmp.boost_from_average, `${LMP}.boost_from_average`, 0, 1) === 1;

  const { objective, scalePosWeight, margin } = readObjective(r, r.obj(learner.objective, 'learner.objective'), numClass);
  const groups = numClass > 1 ? numClass : 1;
  if (baseScoreIsProbability(objective) && !(baseScore > 0 && baseScore < 1)) {
    r.invalid(`${LMP}.base_score`, `base_score ${baseScore} must be in (0, 1) for ${objective}`);
  }
  if (!Number.isFinite(margin(baseScore))) r.invalid(`${LMP}.base_score`, `base_score ${baseScore} has no finite margin for ${objective}`);

  const gb = r.obj(learner.gradient_booster, 'learner.gradient_booster');
  const gbName = r.str(gb.name, 'learner.gradient_booster.name');
  if (gbName !== 'gbtree') r.unsupported('learner.gradient_booster.name', `booster '${gbName}' (only gbtree)`);
  const model = r.obj(gb.model, GBM);
  const param = r.obj(model.gbtree_model_param, `${GBM}.gbtree_model_param`);
  const numTrees = r.int(param.num_trees, `${GBM}.gbtree_model_param.num_trees`, 0, 2147483647);
  const numParallelTree =
    param.num_parallel_tree === undefined ? 1 : r.int(param.num_parallel_tree, `${GBM}.gbtree_model_param.num_parallel_tree`, 1, 2147483647);
  if (param.size_leaf_vector !== undefined && r.int(param.size_leaf_vector, `${GBM}.gbtree_model_param.size_leaf_vector`, 0) > 1) {
    r.unsupported(`${GBM}.gbtree_model_param.size_leaf_vector`, 'vector leaves');
  }
  const treesJson = r.list(model.trees, `${GBM}.trees`);
  if (treesJson.length !== numTrees) r.invalid(`${GBM}.trees`, `${treesJson.length} trees but num_trees is ${numTrees}`);
  // Trees first: a 2.x multi_output_tree model (one vector-leaf tree per round) is then
  // refused for its vector leaves, not for its tree count.
  const trees = readTrees(r, treesJson, numFeature);
  const perRound = groups * numParallelTree;
  if (numTrees % perRound !== 0) {
    r.invalid(`${GBM}.gbtree_model_param.num_trees`, `${numTrees} trees are not whole rounds of ${perRound} (groups x num_parallel_tree)`);
  }

  const infoJson = r.list(model.tree_info, `${GBM}.tree_info`);
  if (infoJson.length !== numTrees) r.invalid(`${GBM}.tree_info`, `${infoJson.length} entries for ${numTrees} trees`);
  const treeInfo = Array.from(infoJson, (g, i) => r.int(g, `${GBM}.tree_info[${i}]`, 0, groups - 1));
  if (model.iteration_indptr !== undefined) checkIterationIndptr(r, r.list(model.iteration_indptr, `${GBM}.iteration_indptr`), numTrees, perRound);

  const stringList = (v: unknown, field: string): string[] =>
    v === undefined ? [] : Array.from(r.list(v, field), (s, i) => r.str(s, `${field}[${i}]`));
  const featureNames = stringList(learner.feature_names, 'learner.feature_names');
  const featureTypes = stringList(learner.feature_types, 'learner.feature_types');
  if (featureNames.length !== 0 && featureNames.length !== numFeature) {
    r.invalid('learner.feature_names', `${featureNames.length} names for ${numFeature} features`);
  }
  if (featureTypes.length !== 0 && featureTypes.length !== numFeature) {
    r.invalid('learner.feature_types', `${featureTypes.length} types for ${numFeature} features`);
  }
  const badType = featureTypes.findIndex((s) => !FEATURE_TYPES.has(s));
  if (badType >= 0) r.unsupported(`learner.feature_types[${badType}]`, `feature type '${featureTypes[badType]}'`);
  // fromEntries defines own properties, so even a key named "__proto__" stays an attribute.
  const attributes: Record<string, string> = Object.fromEntries(
    learner.attributes === undefined
      ? []
      : Object.entries(r.obj(learner.attributes, 'learner.attributes')).map(([k, v]) => [k, r.str(v, `learner.attributes.${k}`)]),
  );
  return {
    objective,
    baseScore,
    numFeature,
    numClass,
    trees,
    treeInfo,
    featureNames,
    featureTypes,
    attributes,
    numParallelTree,
    ...(scalePosWeight === undefined ? {} : { scalePosWeight }),
    boostFromAverage,
  };
}

function unsupportedVersion(r: DocReader, v: ArrayLike<unknown>): never {
  return r.unsupported('version', `format version ${Array.from(v).join('.')} (only XGBoost 1.x and 2.x)`);
}

/** The objective's name and the parameter block XGBoost saves with it (ObjFunction::SaveConfig). */
function readObjective(
  r: DocReader,
  o: DocObject,
  numClass: number,
): { objective: string; scalePosWeight?: number; margin: (baseScore: number) => number } {
  const objective = r.str(o.name, 'learner.objective.name');
  if (!isSupportedObjective(objective)) r.unsupported('learner.objective.name', `objective '${objective}'`);
  const multi = isMultiClassObjective(objective);
  if (multi && numClass < 2) r.unsupported(`${LMP}.num_class`, `${objective} with num_class ${numClass} (needs at least 2)`);
  if (!multi && numClass > 1) r.unsupported(`${LMP}.num_class`, `num_class ${numClass} with objective '${objective}'`);
  let scalePosWeight: number | undefined;
  if (o.reg_loss_param !== undefined) {
    const p = r.obj(o.reg_loss_param, 'learner.objective.reg_loss_param');
    if (p.scale_pos_weight !== undefined) {
      scalePosWeight = Math.fround(r.num(p.scale_pos_weight, 'learner.objective.reg_loss_param.scale_pos_weight'));
      if (scalePosWeight < 0) r.invalid('learner.objective.reg_loss_param.scale_pos_weight', `must be >= 0, got ${scalePosWeight}`);
    }
  }
  if (o.softmax_multiclass_param !== undefined) {
    const p = r.obj(o.softmax_multiclass_param, 'learner.objective.softmax_multiclass_param');
    const field = 'learner.objective.softmax_multiclass_param.num_class';
    if (p.num_class !== undefined && r.int(p.num_class, field, 0) !== numClass) {
      r.invalid(field, `is ${describe(p.num_class)} but ${LMP}.num_class is ${numClass}`);
    }
  }
  // The objective must agree on the outputs per row, or predictions would be misshaped.
  const fn = createObjective(objective, { numClass, scalePosWeight: scalePosWeight ?? 1 });
  if (fn.numGroup !== (numClass > 1 ? numClass : 1)) {
    r.unsupported('learner.objective.name', `${objective} with ${fn.numGroup} outputs per row for num_class ${numClass}`);
  }
  const margin = (baseScore: number) => fn.baseMargin(baseScore);
  return scalePosWeight === undefined ? { objective, margin } : { objective, scalePosWeight, margin };
}

/** Trees are placed by their `id` (XGBoost's GBTreeModel::LoadModel does the same). */
function readTrees(r: DocReader, treesJson: ArrayLike<unknown>, numFeature: number): RegTree[] {
  const n = treesJson.length;
  const trees: RegTree[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const where = `${GBM}.trees[${i}]`;
    const t = r.obj(treesJson[i], where);
    const id = t.id === undefined ? i : r.int(t.id, `${where}.id`, 0, n - 1);
    if (trees[id] !== undefined) r.invalid(`${where}.id`, `tree id ${id} appears twice`);
    trees[id] = readTree(r, t, where, numFeature);
  }
  return trees;
}

/**
 * 2.x's round boundaries. We predict iteration ranges with whole rounds of equal size, as
 * XGBoost 1.x does, so the boundaries must be exactly that layout.
 */
function checkIterationIndptr(r: DocReader, indptr: ArrayLike<unknown>, numTrees: number, perRound: number): void {
  const field = `${GBM}.iteration_indptr`;
  const rounds = numTrees / perRound;
  if (indptr.length !== rounds + 1) r.invalid(field, `has ${indptr.length} entries for ${rounds} rounds (expected ${rounds + 1})`);
  for (let i = 0; i <= rounds; i++) {
    if (indptr[i] !== i * perRound) r.unsupported(`${field}[${i}]`, `rounds of varying tree counts (expected ${i * perRound}, got ${describe(indptr[i])})`);
  }
}
