// Objectives by XGBoost name. Adding one: write a factory returning `Objective` and list it here.
import { ModelError } from '../../core/index.ts';
import type { Objective, ObjectiveConfig } from './objective.ts';
import { binaryLogistic, regLogistic } from './binaryLogistic.ts';
import { logitRaw } from './logitRaw.ts';
import { softmax, softprob } from './softmax.ts';
import { squaredError } from './squaredError.ts';

export type { Objective, ObjectiveConfig } from './objective.ts';
export { sigmoid32 } from './sigmoid.ts';

const FACTORIES: ReadonlyMap<string, (config: ObjectiveConfig) => Objective> = new Map([
  ['binary:logistic', binaryLogistic],
  ['binary:logitraw', logitRaw],
  ['reg:squarederror', squaredError],
  ['reg:logistic', regLogistic],
  ['multi:softprob', softprob],
  ['multi:softmax', softmax],
]);

/** Objectives with num_class outputs per row. */
const MULTI_CLASS = new Set(['multi:softprob', 'multi:softmax']);
/** Objectives whose base_score is a probability, so it must lie in (0, 1). */
const PROBABILITY_BASE_SCORE = new Set(['binary:logistic', 'reg:logistic']);

export const DEFAULT_OBJECTIVE_CONFIG: ObjectiveConfig = { numClass: 0, scalePosWeight: 1 };

export function isSupportedObjective(name: string): boolean {
  return FACTORIES.has(name);
}

export function isMultiClassObjective(name: string): boolean {
  return MULTI_CLASS.has(name);
}

export function baseScoreIsProbability(name: string): boolean {
  return PROBABILITY_BASE_SCORE.has(name);
}

/** The objective `name` configured by `config`; unknown names are a ModelError. */
export function createObjective(name: string, config: ObjectiveConfig = DEFAULT_OBJECTIVE_CONFIG): Objective {
  const make = FACTORIES.get(name);
  if (!make) throw new ModelError('gbdt.modelUnsupported', { what: `objective '${name}'` });
  return make(config);
}

export const supportedObjectives: readonly string[] = [...FACTORIES.keys()];
