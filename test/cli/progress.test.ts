import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barReporter } from '../../src/cli/progress/barReporter.ts';
import { formatDuration } from '../../src/cli/progress/format.ts';
import { plainReporter } from '../../src/cli/progress/plainReporter.ts';
import { terminalReporter } from '../../src/cli/progress/terminalReporter.ts';
import { jsonLinesReporter, type RunReporter } from '../../src/pipeline/index.ts';
import { Capture } from './helpers.ts';

function playRun(r: RunReporter): void {
  r.runStarted({ runId: 'r1', pipeline: 'toy', runDir: 'runs/r1', tasks: ['load', 'train'] });
  r.taskStarted({ task: 'load', component: 'load' });
  r.taskLog({ task: 'load', text: 'read 10 rows\nsecond\n' });
  r.taskFinished({ task: 'load', state: 'succeeded', durationMs: 1500 });
  r.taskStarted({ task: 'train', component: 'train' });
  for (let i = 1; i <= 500; i++) r.taskProgress({ task: 'train', current: i, total: 500, label: 'round' });
  r.taskFinished({ task: 'train', state: 'failed', durationMs: 125_000, error: 'out of memory' });
  r.runFinished({ runId: 'r1', runDir: 'runs/r1', state: 'failed', durationMs: 126_600, error: "task 'train' failed: out of memory" });
}

test('the plain reporter prints one line per event and progress at 10% steps', () => {
  const out = new Capture();
  playRun(plainReporter(out));
  const lines = out.text.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 5), ['run r1 of toy: 2 tasks, results in runs/r1', '[load] started', '[load] read 10 rows', '[load] second', '[load] succeeded in 1.5s']);
  const progress = lines.filter((l) => l.startsWith('[train] ') && l.includes('%'));
  assert.equal(progress.length, 10);
  assert.equal(progress[0], '[train] 10% (50/500 rounds)');
  assert.equal(progress.at(-1), '[train] 100% (500/500 rounds)');
  assert.deepEqual(lines.slice(-2), ['[train] failed in 2m05s: out of memory', 'run failed in 2m07s']);
});

test('terminalReporter draws bars on a TTY and plain lines otherwise', () => {
  const tty = Object.assign(new Capture(), { isTTY: true, columns: 100 });
  const r = terminalReporter(tty);
  playRun(r);
  assert.match(tty.text, /run r1 of toy, results in runs\/r1/);
  assert.match(tty.text, /✓ load\s+succeeded\s+1\.5s/);
  assert.match(tty.text, /✗ train\s+failed\s+2m05s\s+█{24} 100% \(500\/500 rounds\)/);
  assert.match(tty.text, /\[train\] failed: out of memory/);
  assert.match(tty.text, /run failed in 2m07s\n$/);

  const plain = new Capture();
  playRun(terminalReporter(plain));
  assert.ok(!plain.text.includes('\u001b['), 'no escape codes when not a terminal');
  assert.match(plain.text, /^run r1 of toy: 2 tasks/);
  const forced = new Capture();
  playRun(barReporter(forced, () => 0));
  assert.match(forced.text, /train/);
});

test('the JSON lines reporter writes one parseable event per line', () => {
  const out = new Capture();
  playRun(jsonLinesReporter(out, () => new Date(0)));
  const events = out.text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(events[0], { event: 'runStarted', time: '1970-01-01T00:00:00.000Z', runId: 'r1', pipeline: 'toy', runDir: 'runs/r1', tasks: ['load', 'train'] });
  assert.equal(events.filter((e) => e.event === 'taskProgress').length, 500);
  assert.deepEqual(events.at(-1), { event: 'runFinished', time: '1970-01-01T00:00:00.000Z', runId: 'r1', runDir: 'runs/r1', state: 'failed', durationMs: 126_600, error: "task 'train' failed: out of memory" });
});

test('formatDuration', () => {
  assert.deepEqual([formatDuration(12), formatDuration(1049), formatDuration(59_960), formatDuration(61_000)], ['12ms', '1.0s', '60.0s', '1m01s']);
});
