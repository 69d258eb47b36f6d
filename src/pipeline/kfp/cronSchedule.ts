// The cron expressions the KFP backend accepts for a recurring run. The API server checks them
// with robfig/cron v1.2.0's cron.Parse (backend/src/apiserver/server/api_converter.go,
// toModelJob; go.mod pins github.com/robfig/cron v1.2.0) and the ScheduledWorkflow controller
// runs them the same way (backend/src/crd/controller/scheduledworkflow/util/cron_schedule.go).
// That parser wants SIX fields, seconds first (Second|Minute|Hour|Dom|Month|DowOptional|
// Descriptor), as the SDK documents ('0 0 9 ? * 2-6', sdk/python/kfp/client/client.py,
// create_recurring_run). A standard five-field crontab would parse there too, shifted by one
// field ('0 9 * * 1' = second 0, minute 9 of every hour, in January), so it is refused here.
import { UsageError } from '../../core/errors.ts';

const FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
// Go's time.ParseDuration units, as robfig's `@every <duration>` reads them.
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** The expression unchanged when KFP will accept it; a UsageError saying why not otherwise. */
export function checkCron(cron: string): string {
  // eslint-disable-next-line no-control-regex
  const bad = (reason: string): UsageError => new UsageError('kfp.badCron', { cron: cron.replace(/[\x00-\x1f\x7f]/g, '?'), reason });
  const text = cron.trim();
  if (text.startsWith('@')) {
    if (DESCRIPTORS.has(text)) return text;
    const every = /^@every (.+)$/.exec(text);
    if (every && GO_DURATION.test(every[1]) && !/^0+(\.0+)?[a-zµ]+$/.test(every[1])) return text;
    throw bad('unknown descriptor');
  }
  const fields = text.split(/\s+/);
  if (fields.length === 5) throw bad(`it has 5 fields; KFP's first field is the second (for the crontab '${text}' write '0 ${text}')`);
  if (fields.length !== 6) throw bad(`it has ${fields.length} fields`);
  fields.forEach((field, i) => checkField(field, FIELDS[i], bad));
  return text;
}

function checkField(field: string, spec: (typeof FIELDS)[number], bad: (reason: string) => UsageError): void {
  const value = (text: string): number => {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + (spec.name === 'month' ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= spec.min && n <= spec.max)) throw bad(`${spec.name} '${text}' is not in ${spec.min}-${spec.max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) throw bad(`${spec.name} '${part}' has a bad step`);
    if (range === '*' || range === '?') continue;
    const [from, to, more] = range.split('-');
    if (more !== undefined || from === '') throw bad(`${spec.name} '${part}' is not a value, range or list`);
    const start = value(from);
    if (to !== undefined && value(to) < start) throw bad(`${spec.name} range '${range}' goes backwards`);
  }
}
