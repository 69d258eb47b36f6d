// Secrets and what gets printed or recorded (issue 15, items 4 and 6): a secret in a data URL
// must appear on no surface (stdout, stderr, run.json, any task log, the dashboard's answers),
// whatever the name of the query parameter that carries it; what a data file or an error
// message holds is printed escaped (no terminal control, no forged lines); stack traces, with
// the paths of our source files, only with --debug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactInput, artifactOutput, defineComponent, definePipeline, stringParam } from '../../src/pipeline/index.ts';
import { pipelineEntry, loanDefaultCatalog, type PipelineCatalog } from '../../src/cli/pipelineCatalog.ts';
import { main } from '../../src/cli/main.ts';
import { executorMain } from '../../src/cli/executorMain.ts';
import { Capture, runCli, toyCatalog, type CliResult } from '../cli/helpers.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { get, loggedIn, testServer } from '../dashboard/helpers.ts';

// A careless pipeline: its first task quotes the data URL in its log and in its output
// metadata; the second fails with the error undici itself raises for a URL with credentials
// (node:internal/deps/undici, lib/web/fetch/request.js: "Request cannot be constructed from a
// URL that includes credentials: <url>"), or one quoting the URL the way library errors do.
const quoteSource = defineComponent({
  name: 'quote-source',
  parameters: { data_url: stringParam('') },
  outputs: { data: artifactOutput('system.Dataset', { extension: '.csv' }) },
  run: async (ctx) => {
    ctx.log(`reading ${ctx.parameters.data_url}`);
    ctx.outputs.data.setMetadata({ source: ctx.parameters.data_url });
    writeFileSync(ctx.outputs.data.path, 'x\n1\n');
  },
});
const fetchSource = defineComponent({
  name: 'fetch-source',
  inputs: { data: artifactInput('system.Dataset') },
  parameters: { data_url: stringParam('') },
  outputs: { copy: artifactOutput('system.Dataset', { extension: '.csv' }) },
  run: async (ctx) => {
    const url = ctx.parameters.data_url.trim();
    try {
      new Request(url);
    } catch (e) {
      throw new TypeError(`fetch failed: ${(e as Error).message}`, { cause: e });
    }
    throw new Error(`fetch failed: connect ECONNREFUSED 127.0.0.1:1 while fetching ${url}`);
  },
});
const leakyPipeline = definePipeline({
  name: 'leaky-pipeline',
  parameters: { data_url: stringParam('') },
  build: (p, params) => {
    const quoted = p.task(quoteSource, { params: { data_url: params.data_url } });
    p.task(fetchSource, { inputs: { data: quoted.outputs.data }, params: { data_url: params.data_url } });
  },
});
const leakyCatalog: PipelineCatalog = async () => pipelineEntry(leakyPipeline, [quoteSource, fetchSource]);

/** [what the case stands for, data URL, the secrets it carries]. */
const SECRET_URLS: [string, string, string[]][] = [
  ['userinfo', 'https://alice:Pw-userinfo-1@127.0.0.1:1/credit.csv', ['Pw-userinfo-1']],
  ['auth', 'https://127.0.0.1:1/credit.csv?auth=Tok-auth-2', ['Tok-auth-2']],
  ['private_token', 'https://127.0.0.1:1/credit.csv?format=csv&private_token=Tok-gitlab-3', ['Tok-gitlab-3']],
  ['jwt', 'https://127.0.0.1:1/credit.csv?jwt=eyJhbGciOi.Tok-jwt-4.sig', ['Tok-jwt-4']],
  ['access-token', 'https://127.0.0.1:1/credit.csv?page=2&access-token=Tok-access-5', ['Tok-access-5']],
  ['custom-sig', 'https://127.0.0.1:1/credit.csv?X-Custom-Sig=Tok-custom-6&limit=10', ['Tok-custom-6']],
  ['fragment', 'https://127.0.0.1:1/credit.csv#token=Tok-fragment-7', ['Tok-fragment-7']],
  ['spaces', '  https://bob:Pw-spaces-8@127.0.0.1:1/credit.csv?auth=Tok-spaces-9  ', ['Pw-spaces-8', 'Tok-spaces-9']],
  ['undici', 'https://carol:Pw-undici-10@127.0.0.1:1/credit.csv?sig=Tok-undici-11', ['Pw-undici-10', 'Tok-undici-11']],
  ['file-userinfo', 'file://dave:Pw-file-12@localhost/nonexistent/credit.csv', ['Pw-file-12']],
  // WHATWG special schemes need no `//`: these parse (and would be fetched) as https://... (found in review).
  ['no-slashes', 'https:erin:Pw-noslash-13@127.0.0.1:1/credit.csv?token=Tok-noslash-14', ['Pw-noslash-13', 'Tok-noslash-14']],
  ['one-slash', 'https:/frank:Pw-oneslash-15@127.0.0.1:1/credit.csv?sig=Tok-oneslash-16', ['Pw-oneslash-15', 'Tok-oneslash-16']],
  ['backslashes', 'http:\\\\gina:Pw-backslash-17@127.0.0.1:1/credit.csv', ['Pw-backslash-17']],
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

test('secret in URL: no credential, query value or fragment of a data URL reaches stdout, stderr, run.json, task logs or the dashboard API', async () => {
  const runsDir = join(tempDir('sealed-secrets-'), 'runs');
  mkdirSync(runsDir, { recursive: true });
  const outputs: { label: string; result: CliResult; secrets: string[] }[] = [];
  for (const [label, url, secrets] of SECRET_URLS) {
    for (const [kind, catalog] of [
      ['leaky', leakyCatalog],
      ['loan', loanDefaultCatalog],
    ] as const) {
      const runDir = join(runsDir, `${kind}-${label}`);
      const result = await runCli(['run', '--data-url', url, '--run-dir', runDir, '--json'], { catalog });
      assert.equal(result.code, 1, `${kind} ${label}: ${result.stderr}`);
      outputs.push({ label: `${kind} ${label}`, result, secrets });
      // The run was recorded (the surfaces below are really checked), its URL in redacted form.
      const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { parameters: { data_url: string }; error: string };
      assert.match(manifest.parameters.data_url, /\*\*\*/, `${kind} ${label}: ${manifest.parameters.data_url}`);
      assert.ok(manifest.error.length > 0);
    }
  }
  // The leaky pipeline logged and failed with the URL: the surfaces hold its redacted form.
  const leakyLog = readFileSync(join(runsDir, 'leaky-undici', 'quote-source', 'log.txt'), 'utf8');
  assert.equal(leakyLog, 'reading https://***@127.0.0.1:1/credit.csv?sig=***\n');
  const undiciError = readFileSync(join(runsDir, 'leaky-undici', 'fetch-source', 'log.txt'), 'utf8');
  assert.match(undiciError, /^error: fetch failed: Request cannot be constructed from a URL that includes credentials: https:\/\/\*\*\*@127\.0\.0\.1:1\/credit\.csv\?sig=\*\*\*\n$/);

  const surfaces: [string, string][] = [];
  for (const { label, result } of outputs) surfaces.push([`${label} stdout`, result.stdout], [`${label} stderr`, result.stderr]);
  for (const file of filesUnder(runsDir)) if (/(run\.json|log\.txt|pipeline\.json|\.metadata\.json)$/.test(file)) surfaces.push([file, readFileSync(file, 'utf8')]);

  const { app } = await testServer({ runsDir });
  try {
    const client = await loggedIn(app);
    const list = await get(app, client, '/api/runs');
    assert.equal(list.statusCode, 200);
    const body = list.json<unknown[] | { runs: unknown[] }>();
    assert.equal((Array.isArray(body) ? body : body.runs).length, outputs.length);
    surfaces.push(['GET /api/runs', list.body]);
    for (const id of readdirSync(runsDir)) {
      const detail = await get(app, client, `/api/runs/${id}`);
      assert.equal(detail.statusCode, 200, detail.body);
      surfaces.push([`GET /api/runs/${id}`, detail.body]);
      const manifest = JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as { tasks: Record<string, { log?: string }> };
      for (const [task, record] of Object.entries(manifest.tasks)) {
        if (record.log === undefined) continue;
        const log = await get(app, client, `/api/runs/${id}/tasks/${task}/log`);
        assert.equal(log.statusCode, 200);
        assert.ok(log.body.length > 0);
        surfaces.push([`GET /api/runs/${id}/tasks/${task}/log`, log.body]);
      }
    }
  } finally {
    await app.close();
  }
  assert.ok(surfaces.some(([name]) => name.endsWith('/tasks/fetch-source/log')), 'task logs were read through the API');
  const allSecrets = SECRET_URLS.flatMap(([, , secrets]) => secrets);
  for (const [name, text] of surfaces) {
    for (const secret of allSecrets) assert.ok(!text.includes(secret), `${secret} leaked in ${name}:\n${text}`);
  }
});

test('secret in URL: redaction goes by shape, not by name', async () => {
  const { redactUrl, redactText, redactValue } = await import('../../src/core/index.ts');
  assert.equal(redactUrl(' https://u:p@h/x.csv?auth=A&format=csv&page=2&Private_Token=B#token=C '), 'https://***@h/x.csv?auth=***&format=csv&page=2&Private_Token=***#***');
  assert.equal(redactValue('\thttps://h/x?jwt=J\n'), 'https://h/x?jwt=***');
  assert.equal(redactText('undici: connect ECONNREFUSED (https://u:p@h:1/?access-token=T) retrying'), 'undici: connect ECONNREFUSED (https://***@h:1/?access-token=***) retrying');
  // An allow-listed name keeps only a short plain value; a bare token is a value too.
  assert.equal(redactUrl('https://h/x?page=1;sig=S&limit=' + 'a'.repeat(40) + '&T0KEN'), 'https://h/x?page=***&limit=***&***');
  assert.equal(redactUrl('file://u:p@localhost/x.csv'), 'file://***@localhost/x.csv');
});

/** A CSV whose header and one value carry terminal escape sequences (OSC title, clear screen, C1 CSI, CR). */
function hostileCsv(dir: string): string {
  const path = join(dir, 'hostile.csv');
  writeFileSync(path, 'person_age,\u001b]0;pwned\u0007\u001b[2Jperson_income\u009b31m,loan_status\n\u001b[1A\rrun succeeded in 1ms,22,0\n');
  return path;
}

// A component that shows what it read, as components do (column names in a log line, the bad
// value in its error): the terminal boundary must escape it.
const echoData = defineComponent({
  name: 'echo-data',
  parameters: { data_url: stringParam('') },
  outputs: { out: artifactOutput('system.Dataset', { extension: '.csv' }) },
  run: async (ctx) => {
    const [header, row] = readFileSync(ctx.parameters.data_url, 'utf8').split('\n');
    ctx.log(`columns: ${header.split(',').join(', ')}`);
    throw new Error(`person_age: '${row.split(',')[0]}' is not a number`);
  },
});
const echoCatalog: PipelineCatalog = async () =>
  pipelineEntry(
    definePipeline({ name: 'echo-pipeline', parameters: { data_url: stringParam('') }, build: (p, params) => void p.task(echoData, { params: { data_url: params.data_url } }) }),
    [echoData],
  );

// C0 (ESC, BEL, CR), C1 (CSI U+009B), DEL, bidi overrides; \n is the only one a line may end with.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

test('terminal control: escape sequences from a data file header and value are printed escaped, on plain and bar output', async () => {
  const dir = tempDir('sealed-terminal-');
  const csv = hostileCsv(dir);
  for (const catalog of [echoCatalog, loanDefaultCatalog]) {
    const plain = await runCli(['run', '--data-url', csv, '--run-dir', join(dir, `plain-${catalog === echoCatalog}`)], { catalog });
    assert.equal(plain.code, 1);
    assert.doesNotMatch(plain.stderr, RAW_CONTROL, plain.stderr);
    assert.ok(!plain.stderr.split('\n').includes('run succeeded in 1ms'), plain.stderr);
  }
  const plain = await runCli(['run', '--data-url', csv, '--run-dir', join(dir, 'plain')], { catalog: echoCatalog });
  assert.match(plain.stderr, /\[echo-data\] columns: person_age, \\x1b\]0;pwned\\x07\\x1b\[2Jperson_income\\x9b31m, loan_status\n/);
  assert.match(plain.stderr, /\nsealed: .*'\\x1b\[1A\\x0drun succeeded in 1ms' is not a number\n$/);

  // On a terminal (bar display) the reporter's own cursor codes are the only escapes.
  const stdout = new Capture();
  const stderr = new Capture();
  stderr.isTTY = true;
  const code = await main(['run', '--data-url', csv, '--run-dir', join(dir, 'tty')], { catalog: echoCatalog, stdout, stderr, env: {}, cores: 2, signal: new AbortController().signal });
  assert.equal(code, 1);
  // (The bar display itself moves up with ESC[1A CR; the file's own are shown escaped.)
  assert.match(stderr.text, /'\\x1b\[1A\\x0drun succeeded in 1ms' is not a number\n$/);
  for (const raw of ['\u001b]0;', '\u0007', '\u001b[2J', '\u009b', '\rrun succeeded']) assert.ok(!stderr.text.includes(raw), `${JSON.stringify(raw)} in ${JSON.stringify(stderr.text)}`);
  assert.match(stderr.text, /\\x1b\]0;pwned\\x07/);
});

const forging = defineComponent({
  name: 'forging',
  parameters: { value: stringParam('') },
  outputs: { out: artifactOutput('system.Dataset', { extension: '.csv' }) },
  run: async (ctx) => {
    ctx.log(`value: ${ctx.parameters.value}`);
    throw new Error(`bad value '${ctx.parameters.value}'`);
  },
});
const forgingCatalog: PipelineCatalog = async () =>
  pipelineEntry(
    definePipeline({ name: 'forging-pipeline', parameters: { data_url: stringParam('') }, build: (p, params) => void p.task(forging, { params: { value: params.data_url } }) }),
    [forging],
  );

test('terminal control: a value with newlines, CR and bidi overrides cannot forge a line or reorder text', async () => {
  const dir = tempDir('sealed-forge-');
  const value = 'x\nrun succeeded in 1ms\rsealed: all good\u202egnp.exe';
  const r = await runCli(['run', '--data-url', value, '--run-dir', join(dir, 'run')], { catalog: forgingCatalog });
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, RAW_CONTROL);
  const lines = r.stderr.split('\n');
  assert.ok(!lines.includes('run succeeded in 1ms'), r.stderr);
  assert.ok(!lines.some((l) => l.startsWith('sealed: all good')), r.stderr);
  assert.equal(lines.filter((l) => l.startsWith('sealed: ')).length, 1, r.stderr);
  assert.match(r.stderr, /\\x0dsealed: all good\\u202egnp\.exe/);
  for (const line of lines.filter((l) => l !== '')) assert.match(line, /^(run |\[forging\] |sealed: )/, `a line nobody wrote: ${line}`);
});

test('stack trace: a failing task leaves one error line (no stack, no source paths) in log.txt and run.json unless --debug', async () => {
  const dir = tempDir('sealed-stack-');
  const plain = await runCli(['run', '--run-dir', join(dir, 'plain')], { catalog: failingToyCatalog });
  assert.equal(plain.code, 1);
  const log = readFileSync(join(dir, 'plain', 'fit-model', 'log.txt'), 'utf8');
  assert.equal(log, 'error: fit-model was asked to fail\n');
  const runJson = readFileSync(join(dir, 'plain', 'run.json'), 'utf8');
  for (const text of [log, runJson, plain.stderr, plain.stdout]) {
    assert.doesNotMatch(text, /\bat .*\(|\.ts:\d+|executeComponent|toyComponents/, text);
  }

  for (const argv of [
    ['--debug', 'run', '--run-dir', join(dir, 'debug')],
    ['run', '--debug', '--run-dir', join(dir, 'debug-after')],
  ]) {
    const debug = await runCli(argv, { catalog: failingToyCatalog });
    assert.equal(debug.code, 1);
    const runDir = argv[argv.length - 1];
    const debugLog = readFileSync(join(runDir, 'fit-model', 'log.txt'), 'utf8');
    assert.match(debugLog, /^error: Error: fit-model was asked to fail\n\s+at .*toyComponents\.ts:\d+/);
    assert.match(debug.stderr, /\n\s+at /, 'stderr has the stack too');
    // run.json keeps the one-line message even in debug mode.
    assert.doesNotMatch(readFileSync(join(runDir, 'run.json'), 'utf8'), /\.ts:\d+/);
  }
  assert.ok(!existsSync(join(dir, 'plain', 'fit-model', 'model.json')));
});

test('stack trace: sealed-executor prints one line, the stack only with --debug', async () => {
  const run = async (argv: string[]): Promise<string> => {
    const stdout = new Capture();
    const stderr = new Capture();
    assert.equal(await executorMain(argv, { catalog: toyCatalog, stdout, stderr, env: {} }), 2);
    return stderr.text;
  };
  const args = ['--component', 'no-such-component', '--executor-input', '{}'];
  const plain = await run(args);
  assert.match(plain, /^sealed: [^\n]*no-such-component[^\n]*\n$/);
  assert.doesNotMatch(plain, /\.ts:\d+/);
  assert.match(await run(['--debug', ...args]), /^sealed: [^\n]*\n\w*Error: [\s\S]*\n\s+at [\s\S]*\.ts:\d+/);
});

/** The toy pipeline with fit-model told to fail. */
const failingToyCatalog: PipelineCatalog = async () => {
  const entry = await toyCatalog();
  return { ...entry, runOptionsToParameters: () => ({ fail_fit: true }) };
};
