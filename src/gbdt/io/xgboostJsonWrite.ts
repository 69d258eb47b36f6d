// Writes the canonical model in XGBoost 1.7's JSON model format (what `Booster.save_model`
// writes for a `.json` file), field for field, so Python XGBoost 1.7 loads it unchanged.
// Floats are written the way XGBoost writes them (shortest float32 text), integers plainly;
// the text is assembled by hand because JSON.stringify cannot print "5E-1"-style numbers.
import { ModelError } from '../../core/index.ts';
import type { GbdtModel } from '../model.ts';
import type { RegTree } from '../tree/regTree.ts';
import { formatFloat32 } from './float32Text.ts';

/** XGBoost version the written files claim. */
export const XGBOOST_JSON_VERSION = [1, 7, 4] as const;
/** XGBoost stores the root's missing parent as this unsigned value. */
const ROOT_PARENT = 2147483647;

export function toXgboostJson(model: GbdtModel): string {
  const str = JSON.stringify;
  const trees = model.trees.map((t, i) => treeJson(t, i, model.numFeature));
  const attributes = Object.keys(model.attributes)
    .sort()
    .map((k) => `${str(k)}:${str(model.attributes[k])}`)
    .join(',');
  const objective =
    model.objective === 'binary:logistic'
      ? `{"name":"binary:logistic","reg_loss_param":{"scale_pos_weight":"1"}}`
      : `{"name":${str(model.objective)},"reg_loss_param":{"scale_pos_weight":"1"}}`;
  return (
    `{"learner":{"attributes":{${attributes}},` +
    `"feature_names":${str(model.featureNames)},"feature_types":${str(model.featureTypes)},` +
    `"gradient_booster":{"model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"${model.trees.length}",` +
    `"size_leaf_vector":"0"},"tree_info":[${model.trees.map(() => 0).join(',')}],"trees":[${trees.join(',')}]},"name":"gbtree"},` +
    `"learner_model_param":{"base_score":"${floats([model.baseScore], 'base_score')}","boost_from_average":"1",` +
    `"num_class":"0","num_feature":"${model.numFeature}","num_target":"1"},` +
    `"objective":${objective}},"version":[${XGBOOST_JSON_VERSION.join(',')}]}`
  );
}

function treeJson(t: RegTree, id: number, numFeature: number): string {
  const n = t.numNodes;
  const ints = (a: ArrayLike<number>) => Array.prototype.slice.call(a, 0, n).join(',');
  const parents = Array.from(t.parent.subarray(0, n), (p) => (p < 0 ? ROOT_PARENT : p)).join(',');
  const where = `tree ${id}`;
  return (
    `{"base_weights":[${floats(t.baseWeight.subarray(0, n), `${where} base_weights`)}],` +
    `"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[],` +
    `"default_left":[${ints(t.defaultLeft)}],"id":${id},"left_children":[${ints(t.left)}],` +
    `"loss_changes":[${floats(t.lossChg.subarray(0, n), `${where} loss_changes`)}],"parents":[${parents}],` +
    `"right_children":[${ints(t.right)}],` +
    `"split_conditions":[${floats(t.splitCondition.subarray(0, n), `${where} split_conditions`)}],` +
    `"split_indices":[${ints(t.splitIndex)}],"split_type":[${new Array(n).fill(0).join(',')}],` +
    `"sum_hessian":[${floats(t.sumHess.subarray(0, n), `${where} sum_hessian`)}],` +
    `"tree_param":{"num_deleted":"0","num_feature":"${numFeature}","num_nodes":"${n}","size_leaf_vector":"0"}}`
  );
}

function floats(a: ArrayLike<number>, what: string): string {
  const out: string[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${what}[${i}]` });
    out[i] = formatFloat32(a[i]);
  }
  return out.join(',');
}
