// `sealed deploy plan`: every step of `up` with its exact commands and the configuration it applies,
// and whether the state folder already records it as done. Reads; never runs a step or writes.
import { printable } from '../../core/index.ts';
import { fingerprint } from './execute.ts';
import type { DeployState } from './state.ts';
import { showArgv, showCommand, type Step } from './types.ts';

export interface PlanHeader {
  what: string;
  stateDir: string;
  configFile: string;
  config: Readonly<Record<string, string>>;
  warnings: readonly string[];
}

export function formatPlan(header: PlanHeader, steps: readonly Step[], state: DeployState): string {
  const lines: string[] = [];
  lines.push(`${header.what}: ${steps.length} steps (state folder ${header.stateDir})`);
  lines.push('');
  lines.push(`configuration (${header.configFile}):`);
  for (const [k, v] of Object.entries(header.config)) lines.push(`  ${k}: ${v}`);
  for (const w of header.warnings) lines.push(`  warning: ${w}`);
  // What the configuration costs is a question before `up`; it needs the network, so plan only points to it.
  lines.push(`  cost per hour: ${showArgv(['sealed', 'deploy', 'cost', '--config', header.configFile])}`);
  for (const [i, step] of steps.entries()) {
    lines.push('');
    const record = state.steps[step.id];
    const status = step.always ? 'every run' : record && record.fingerprint === fingerprint(step) ? `done ${record.finishedAt}, skipped` : step.check ? 'runs unless already in place' : 'runs';
    lines.push(`${i + 1}. ${step.title} [${step.id}: ${status}]`);
    for (const [k, v] of Object.entries(step.applies ?? {})) lines.push(`     ${k}: ${v}`);
    if (step.commands.length === 0) lines.push('     (no command: done in this process)');
    for (const c of step.commands) lines.push(`     $ ${showCommand(c)}`);
  }
  // Values quote the user's configuration: no control character reaches the terminal as is.
  return lines.map(printable).join('\n') + '\n';
}

/** A configuration object as `a.b.c: value` lines; values under a secret-looking key are shown as <redacted>. */
export function flattenConfig(value: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object') {
    out[prefix || 'value'] = String(value);
    return out;
  }
  if (Array.isArray(value)) {
    out[prefix] = value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === undefined) continue;
    if (SECRET_KEY.test(k)) out[key] = '<redacted>';
    else Object.assign(out, flattenConfig(v, key));
  }
  return out;
}

const SECRET_KEY = /password|passphrase|secret|token|credential|hash$/i;
