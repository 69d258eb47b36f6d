// The canonical model as the document XGBoost 1.7 saves (LearnerIO::SaveModel), field for
// field, so Python XGBoost 1.7 and 2.x load either encoding of it unchanged (2.x reads 1.7's
// layout: FromJson ignores the gbtree_model_param fields it dropped, and it rebuilds the
// missing iteration_indptr from num_parallel_tree and the output groups).
import type { GbdtModel } from '../model.ts';
import { isMultiClassObjective } from '../objective/index.ts';
import type { RegTree } from '../tree/regTree.ts';
import { TypedValues, type DocMap, type DocValue } from './document.ts';
import { formatFloat32, formatParamFloat } from './float32Text.ts';
import { isDeletedNode } from './treeRead.ts';

/** XGBoost version the written files claim. */
export const XGBOOST_JSON_VERSION = [1, 7, 4] as const;
/** XGBoost stores the root's missing parent as this unsigned value. */
const ROOT_PARENT = 2147483647;

export function modelDocument(model: GbdtModel): DocMap {
  const trees: DocValue[] = model.trees.map((t, i) => treeDocument(t, i, model.numFeature));
  const attributes: Record<string, DocValue> = Object.fromEntries(Object.entries(model.attributes)); // keeps a "__proto__" key
  return {
    learner: {
      attributes,
      feature_names: [...model.featureNames],
      feature_types: [...model.featureTypes],
      gradient_booster: {
        model: {
          gbtree_model_param: {
            num_parallel_tree: String(model.numParallelTree ?? 1),
            num_trees: String(model.trees.length),
            size_leaf_vector: '0',
          },
          tree_info: [...model.treeInfo],
          trees,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: formatFloat32(model.baseScore),
        boost_from_average: model.boostFromAverage === false ? '0' : '1',
        num_class: String(model.numClass),
        num_feature: String(model.numFeature),
        num_target: '1',
      },
      objective: objectiveDocument(model),
    },
    version: [...XGBOOST_JSON_VERSION],
  };
}

/** The objective's saved config (ObjFunction::SaveConfig): its name and its parameter block. */
function objectiveDocument(model: GbdtModel): DocMap {
  if (isMultiClassObjective(model.objective)) {
    return { name: model.objective, softmax_multiclass_param: { num_class: String(model.numClass) } };
  }
  // Every other objective we support is one of XGBoost's RegLossObj objectives.
  return { name: model.objective, reg_loss_param: { scale_pos_weight: formatParamFloat(model.scalePosWeight ?? 1) } };
}

function treeDocument(t: RegTree, id: number, numFeature: number): DocMap {
  const n = t.numNodes;
  const parents = new Int32Array(n);
  for (let i = 0; i < n; i++) parents[i] = t.parent[i] < 0 ? ROOT_PARENT : t.parent[i];
  let deleted = 0;
  for (let i = 1; i < n; i++) if (isDeletedNode(t.splitIndex[i], t.defaultLeft[i])) deleted++;
  return {
    base_weights: new TypedValues('f32', t.baseWeight.subarray(0, n)),
    categories: new TypedValues('i32', []),
    categories_nodes: new TypedValues('i32', []),
    categories_segments: new TypedValues('i64', []),
    categories_sizes: new TypedValues('i64', []),
    default_left: new TypedValues('u8', t.defaultLeft.subarray(0, n)),
    id,
    left_children: new TypedValues('i32', t.left.subarray(0, n)),
    loss_changes: new TypedValues('f32', t.lossChg.subarray(0, n)),
    parents: new TypedValues('i32', parents),
    right_children: new TypedValues('i32', t.right.subarray(0, n)),
    split_conditions: new TypedValues('f32', t.splitCondition.subarray(0, n)),
    split_indices: new TypedValues('i32', t.splitIndex.subarray(0, n)),
    split_type: new TypedValues('u8', new Uint8Array(n)),
    sum_hessian: new TypedValues('f32', t.sumHess.subarray(0, n)),
    tree_param: {
      num_deleted: String(deleted),
      num_feature: String(numFeature),
      num_nodes: String(n),
      size_leaf_vector: '0',
    },
  };
}
