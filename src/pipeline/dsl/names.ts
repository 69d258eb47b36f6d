// Name rules. Component, task and pipeline names become KFP keys (comp-<name>), directory names
// in a run and DNS-like labels, so they are lowercase kebab-case. Keys of inputs, outputs and
// parameters become CLI options (--x_train_data) and KFP keys, so they are identifiers.
import { PipelineError } from '../../core/index.ts';

const DNS_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkDnsName(what: string, name: unknown): string {
  if (typeof name !== 'string' || !DNS_NAME.test(name) || name.endsWith('-')) {
    throw new PipelineError('pipeline.badName', { what, name: String(name), rule: 'use lowercase letters, digits and -, starting with a letter' });
  }
  return name;
}

export function checkKey(what: string, key: string): void {
  if (!KEY.test(key)) throw new PipelineError('pipeline.badName', { what, name: key, rule: 'use letters, digits and _, not starting with a digit' });
}
