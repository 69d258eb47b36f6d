// Objectives by XGBoost name. Adding one: write a factory returning `Objective` and list it here.
import { ModelError } from '../../core/index.ts';
import type { Objective, ObjectiveConfig } from './objective.ts';
import { binaryLogistic } from './binaryLogistic.ts';
import { squaredError } from './squaredError.ts';

export type { Objective, ObjectiveConfig } from './objective.ts';
export { sigmoid32 } from './sigmoid.ts';

const FACTORIES: ReadonlyMap<string, (config: ObjectiveConfig) => Objective> = new Map([
  ['binary:logistic', binaryLogistic],
  ['reg:squarederror', squaredError],
]);

export const DEFAULT_OBJECTIVE_CONFIG: ObjectiveConfig = { numClass: 0, scalePosWeight: 1 };

export function isSupportedObjective(name: string): boolean {
  return FACTORIES.has(name);
}

/** The objective `name` configured by `config`; unknown names are a ModelError. */
export function createObjective(name: string, config: ObjectiveConfig = DEFAULT_OBJECTIVE_CONFIG): Objective {
  const make = FACTORIES.get(name);
  if (!make) throw new ModelError('gbdt.modelUnsupported', { what: `objective '${name}'` });
  return make(config);
}

export const supportedObjectives: readonly string[] = [...FACTORIES.keys()];
