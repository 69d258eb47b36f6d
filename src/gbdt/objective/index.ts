// Objectives by XGBoost name. Adding one: implement `Objective` and list it here.
import type { Objective } from './objective.ts';
import { binaryLogistic } from './binaryLogistic.ts';
import { squaredError } from './squaredError.ts';

export type { Objective } from './objective.ts';
export { binaryLogistic } from './binaryLogistic.ts';
export { squaredError } from './squaredError.ts';
export { sigmoid32 } from './sigmoid.ts';

const BY_NAME: ReadonlyMap<string, Objective> = new Map([
  [binaryLogistic.name, binaryLogistic],
  [squaredError.name, squaredError],
]);

export function objectiveByName(name: string): Objective | undefined {
  return BY_NAME.get(name);
}

export const supportedObjectives: readonly string[] = [...BY_NAME.keys()];
