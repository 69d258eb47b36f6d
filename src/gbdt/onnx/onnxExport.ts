// Export to ONNX: one ai.onnx.ml TreeEnsembleClassifier (binary:logistic, multi:*) or
// TreeEnsembleRegressor (reg:squarederror, reg:logistic, binary:logitraw) node, the way
// onnxmltools converts XGBoost models, so any ONNX runtime scores our models. Node semantics
// match XGBoost's: BRANCH_LT (x < threshold goes to the true/left child), a missing value
// follows the learned default direction (nodes_missing_value_tracks_true), leaf values are
// summed per output group from the base margin and then transformed (LOGISTIC / SOFTMAX, or a
// Sigmoid node after the regressor for reg:logistic).
// Only nodes reachable from each root are written (XGBoost's pruned nodes are skipped).
import { ModelError } from '../../core/index.ts';
import { numGroup, type GbdtModel } from '../model.ts';
import { modelObjective } from '../predict/predict.ts';
import { ProtoWriter } from './protobufWriter.ts';

const IR_VERSION = 8;
const ONNX_OPSET = 15;
const ML_OPSET = 3;
const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

interface Ensemble {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  values: number[];
  modes: string[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  leafTree: number[];
  leafNode: number[];
  leafTarget: number[];
  leafWeight: number[];
}

function collect(model: GbdtModel): Ensemble {
  const e: Ensemble = { treeIds: [], nodeIds: [], featureIds: [], values: [], modes: [], trueIds: [], falseIds: [], missingTrue: [], leafTree: [], leafNode: [], leafTarget: [], leafWeight: [] };
  model.trees.forEach((tree, t) => {
    const stack = [0];
    while (stack.length > 0) {
      const nid = stack.pop()!;
      e.treeIds.push(t);
      e.nodeIds.push(nid);
      if (tree.isLeaf(nid)) {
        e.featureIds.push(0);
        e.values.push(0);
        e.modes.push('LEAF');
        e.trueIds.push(0);
        e.falseIds.push(0);
        e.missingTrue.push(0);
        e.leafTree.push(t);
        e.leafNode.push(nid);
        e.leafTarget.push(model.treeInfo[t]);
        e.leafWeight.push(tree.leafValue(nid));
        continue;
      }
      e.featureIds.push(tree.splitIndex[nid]);
      e.values.push(tree.splitCondition[nid]);
      e.modes.push('BRANCH_LT');
      e.trueIds.push(tree.left[nid]);
      e.falseIds.push(tree.right[nid]);
      e.missingTrue.push(tree.defaultLeft[nid] ? 1 : 0);
      stack.push(tree.right[nid], tree.left[nid]);
    }
  });
  return e;
}

function attr(name: string): ProtoWriter {
  return new ProtoWriter().string(1, name);
}
const ints = (name: string, v: number[]) => attr(name).packedInts(8, v).int(20, ATTR.INTS);
const floats = (name: string, v: number[]) => attr(name).packedFloats(7, v).int(20, ATTR.FLOATS);
const int = (name: string, v: number) => attr(name).int(3, v).int(20, ATTR.INT);
const str = (name: string, v: string) => attr(name).string(4, v).int(20, ATTR.STRING);
function strings(name: string, v: string[]): ProtoWriter {
  const a = attr(name);
  for (const s of v) a.string(9, s);
  return a.int(20, ATTR.STRINGS);
}

/** A float or int64 tensor value info with a symbolic batch dimension "N". */
function valueInfo(name: string, elemType: number, dims: (number | 'N')[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, d === 'N' ? new ProtoWriter().string(2, 'N') : new ProtoWriter().int(1, d));
  const tensor = new ProtoWriter().int(1, elemType).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensor));
}

/** The model as ONNX bytes (input "input": float [N, numFeature]). */
export function toOnnx(model: GbdtModel): Uint8Array {
  const objective = model.objective;
  const groups = numGroup(model);
  const base = modelObjective(model).baseMargin(model.baseScore);
  const e = collect(model);
  const node = new ProtoWriter().string(1, 'input');
  const nodeAttrs = [
    ints('nodes_treeids', e.treeIds),
    ints('nodes_nodeids', e.nodeIds),
    ints('nodes_featureids', e.featureIds),
    floats('nodes_values', e.values),
    strings('nodes_modes', e.modes),
    ints('nodes_truenodeids', e.trueIds),
    ints('nodes_falsenodeids', e.falseIds),
    ints('nodes_missing_value_tracks_true', e.missingTrue),
  ];
  const outputs: ProtoWriter[] = [];
  let opType: string;
  if (objective === 'binary:logistic' || objective.startsWith('multi:')) {
    opType = 'TreeEnsembleClassifier';
    const classes = groups === 1 ? 2 : groups;
    node.string(2, 'label').string(2, 'probabilities');
    nodeAttrs.push(
      ints('class_treeids', e.leafTree),
      ints('class_nodeids', e.leafNode),
      ints('class_ids', e.leafTarget),
      floats('class_weights', e.leafWeight),
      ints('classlabels_int64s', Array.from({ length: classes }, (_, k) => k)),
      str('post_transform', groups === 1 ? 'LOGISTIC' : 'SOFTMAX'),
      floats('base_values', Array.from({ length: groups }, () => base)),
    );
    outputs.push(valueInfo('label', INT64, ['N']), valueInfo('probabilities', FLOAT, ['N', classes]));
  } else if (objective === 'reg:squarederror' || objective === 'reg:logistic' || objective === 'binary:logitraw') {
    opType = 'TreeEnsembleRegressor';
    // onnxruntime's regressor ignores post_transform LOGISTIC: reg:logistic gets a Sigmoid node.
    node.string(2, objective === 'reg:logistic' ? 'margin' : 'variable');
    nodeAttrs.push(
      ints('target_treeids', e.leafTree),
      ints('target_nodeids', e.leafNode),
      ints('target_ids', e.leafTarget),
      floats('target_weights', e.leafWeight),
      int('n_targets', 1),
      str('post_transform', 'NONE'),
      floats('base_values', [base]),
    );
    outputs.push(valueInfo('variable', FLOAT, ['N', 1]));
  } else {
    throw new ModelError('gbdt.modelUnsupported', { what: `ONNX export of objective '${objective}'` });
  }
  node.string(3, 'trees').string(4, opType).string(7, 'ai.onnx.ml');
  for (const a of nodeAttrs) node.message(5, a);
  const graph = new ProtoWriter().message(1, node);
  if (objective === 'reg:logistic') graph.message(1, new ProtoWriter().string(1, 'margin').string(2, 'variable').string(3, 'sigmoid').string(4, 'Sigmoid'));
  graph.string(2, 'sealed-gbdt').message(11, valueInfo('input', FLOAT, ['N', model.numFeature]));
  for (const o of outputs) graph.message(12, o);
  return new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'sealed-pipelines')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET))
    .message(8, new ProtoWriter().string(1, 'ai.onnx.ml').int(2, ML_OPSET))
    .finish();
}
