// The Gramine manifest of the enclave image (deploy/sgx/sealed-executor.manifest.template), tested without SGX or
// Gramine: rendered with checked variables (src/seal/enclave/manifestVars.ts, the constructs gramine-manifest
// renders: Documentation/manpages/gramine-manifest.rst@v1.9), read with our TOML reader (compared with Python's
// tomllib on fixtures/), and held to the rules of manifestCheck.ts, which Dockerfile.sgx also runs on the real
// rendered and signed manifests. Each attack edits the rendered text the way a bad template change or an injected
// -D value would, and must be refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, UsageError } from '../../src/core/index.ts';
import {
  ALLOWED_FILES,
  checkManifest,
  checkManifestVars,
  PASSTHROUGH_ALLOWED,
  parseToml,
  renderManifestTemplate,
  type ManifestVars,
  type TomlTable,
} from '../../src/seal/enclave/index.ts';
import { repoRoot } from '../helpers/sharedData.ts';

const template = readFileSync(join(repoRoot, 'deploy', 'sgx', 'sealed-executor.manifest.template'), 'utf8');
const fixtures = join(import.meta.dirname, 'fixtures');
const GRAMINE = { libos: '/usr/lib/x86_64-linux-gnu/gramine/libsysdb.so', runtimedir: '/usr/lib/x86_64-linux-gnu/gramine/runtime/glibc' };
const SKR = {
  arch_libdir: '/lib/x86_64-linux-gnu',
  isvprodid: '7',
  isvsvn: '3',
  enclave_size: '2G',
  seal_provider: 'azure-skr',
  keyvault_key_id: 'https://sealedkv.vault.azure.net/keys/sealed-kek/4d3c2b1a0f9e8d7c6b5a49382716a5b4',
  maa_endpoint: 'https://sealedattest.weu.attest.azure.net',
};
const render = (vars: Record<string, string> = SKR) => renderManifestTemplate(template, checkManifestVars(vars), GRAMINE);
const get = (t: TomlTable, key: string): unknown => key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], t);

/** TOML values as JSON (integers as numbers, no marker symbols), to compare with tomllib's json.dump. */
const plain = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;

test('our TOML reader gives what Python tomllib gives, on the rendered manifest and on gramine-manifest\'s output shape', () => {
  for (const [file, json] of [['rendered.manifest.toml', 'rendered.tomllib.json'], ['sealed-executor.manifest.sgx-shape.toml', 'sgx-shape.tomllib.json']]) {
    assert.deepEqual(plain(parseToml(readFileSync(join(fixtures, file), 'utf8'), file)), JSON.parse(readFileSync(join(fixtures, json), 'utf8')), file);
  }
});

test('the rendered manifest: Node + the app + node_modules trusted, debug off, 2G, >= 32 threads, DCAP, fixed argv', () => {
  const m = parseToml(render());
  const summary = checkManifest(m, 'rendered');
  assert.deepEqual(summary, {
    isvProdId: 7,
    isvSvn: 3,
    enclaveSize: '2G',
    maxThreads: 32,
    sealProvider: 'azure-skr',
    trustedFiles: 9,
    passthrough: [...PASSTHROUGH_ALLOWED].sort(),
  });
  const trusted = get(m, 'sgx.trusted_files') as string[];
  for (const f of ['file:/usr/local/bin/node', 'file:/app/src/', 'file:/app/node_modules/', 'file:/app/bin/', 'file:/app/package.json', 'file:/app/deploy/sgx/sealed-executor.mjs']) assert.ok(trusted.includes(f), f);
  assert.equal(get(m, 'sgx.debug'), false);
  assert.equal(get(m, 'sgx.enclave_size'), '2G');
  assert.ok((get(m, 'sgx.max_threads') as bigint) >= 32n);
  assert.equal(get(m, 'sgx.remote_attestation'), 'dcap');
  assert.equal(get(m, 'sys.insecure__allow_eventfd'), true);
  assert.equal(get(m, 'loader.insecure__use_cmdline_argv'), undefined);
  assert.equal(get(m, 'loader.insecure__use_host_env'), undefined);
  assert.deepEqual(get(m, 'loader.argv'), ['node', '--disable-wasm-trap-handler', '/app/deploy/sgx/sealed-executor.mjs']);
  // No encrypted mount: artifacts are sealed by the executor and must stay readable by KFP's launcher.
  const mounts = get(m, 'fs.mounts') as TomlTable[];
  assert.ok(mounts.every((x) => x.type === undefined || x.type === 'tmpfs'));
  assert.deepEqual(new Set(get(m, 'sgx.allowed_files') as string[]), ALLOWED_FILES);
  // The key choice is measured; nothing that loads code is passed through.
  const env = get(m, 'loader.env') as Record<string, unknown>;
  assert.equal(env.SEALED_KEYVAULT_KEY_ID, SKR.keyvault_key_id);
  assert.equal(env.SEALED_MAA_ENDPOINT, SKR.maa_endpoint);
  assert.equal(env.SEALED_KEY_PROVIDER, 'azure-skr');
  for (const name of ['NODE_OPTIONS', 'LD_PRELOAD', 'SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'SEALED_KEYS_DIR', 'SEALED_ENCLAVE_ARGV_FILE']) assert.equal(env[name], undefined, name);
});

test('gramine-manifest\'s output shape (expanded, hashed trusted files, defaults added) passes the same check', () => {
  const s = checkManifest(parseToml(readFileSync(join(fixtures, 'sealed-executor.manifest.sgx-shape.toml'), 'utf8')), 'sgx-shape');
  assert.equal(s.trustedFiles, 15);
});

test('seal_provider none: no key settings; the manifest still passes', () => {
  const s = checkManifest(parseToml(render({ ...SKR, seal_provider: 'none', keyvault_key_id: '', maa_endpoint: '' })));
  assert.equal(s.sealProvider, 'none');
});

test('every file the manifest trusts under /app exists where the Dockerfiles put it (the repository is /app)', () => {
  for (const f of ['package.json', 'bin', 'src', 'deploy/sgx/sealed-executor.mjs', 'deploy/sgx/run-enclave']) assert.ok(existsSync(join(repoRoot, f)), f);
});

test('attack: template variables that could break out of their string (quotes, newlines, braces) are refused', () => {
  const attempts: [keyof ManifestVars, string][] = [
    ['isvsvn', '1\nsgx.debug = true'],
    ['isvprodid', '1 # x'],
    ['keyvault_key_id', 'https://kv.vault.azure.net/keys/k"\nloader.env.NODE_OPTIONS = { passthrough = true }\n#'],
    ['maa_endpoint', "https://a.weu.attest.azure.net'"],
    ['seal_provider', 'azure-skr"'],
    ['keyvault_key_id', 'https://kv.vault.azure.net/keys/{{ gramine.libos }}'],
    ['arch_libdir', '/lib/x86_64-linux-gnu\\'],
    ['isvsvn', '65536'],
    ['isvsvn', '-1'],
    ['isvsvn', '0x10'],
    ['enclave_size', '3G'],
    ['enclave_size', '1G'],
    ['enclave_size', '2G"\nsgx.debug = true'],
    ['seal_provider', 'local'],
    ['seal_provider', 'azure-keyvault'],
    ['keyvault_key_id', 'https://evil.example/keys/k/1'],
    ['keyvault_key_id', 'http://kv.vault.azure.net/keys/k/1'],
    ['keyvault_key_id', 'https://kv1.vault.azure.net/keys/k'],
    ['maa_endpoint', 'https://sealedattest.weu.attest.azure.net/'],
  ];
  for (const [name, value] of attempts) {
    assert.throws(
      () => checkManifestVars({ ...SKR, [name]: value }),
      (e: unknown) => e instanceof UsageError && e.code === 'enclave.badManifestVar' && e.message.startsWith(`manifest variable ${name} must be`) && !e.message.includes('\n'),
      `${name}=${JSON.stringify(value)}`,
    );
  }
  assert.throws(() => checkManifestVars({ ...SKR, extra: 'x' }), /unknown variable/);
  assert.throws(() => checkManifestVars({ ...SKR, seal_provider: 'none' }), /keyvault_key_id must be empty/);
});

test('attack: an injected value that got past the variable check is caught in the rendered manifest', () => {
  const raw = (vars: Record<string, string>) => template.replace(/\{\{\s*gramine\.libos\s*\}\}/g, GRAMINE.libos).replace(/\{\{\s*gramine\.runtimedir\(\)\s*\}\}/g, GRAMINE.runtimedir).replace(/\{\{\s*(\w+)\s*\}\}/g, (_w, n: string) => vars[n]);
  const cases: [Record<string, string>, RegExp][] = [
    [{ ...SKR, isvsvn: '3\nsgx.debug = true' }, /'sgx\.debug' is defined twice/],
    [{ ...SKR, enclave_size: '2G"\nsgx.enclave_size = "1G' }, /'sgx\.enclave_size' is defined twice/],
    [{ ...SKR, keyvault_key_id: 'https://kv.vault.azure.net/keys/k"\nloader.env.NODE_OPTIONS = { passthrough = true }\n#' }, /NODE_OPTIONS: must not be set/],
    [{ ...SKR, maa_endpoint: 'x"\nloader.insecure__use_cmdline_argv = true\n#' }, /loader\.insecure__use_cmdline_argv: insecure options/],
  ];
  for (const [vars, reason] of cases) {
    assert.throws(
      () => checkManifest(parseToml(raw(vars), 'injected'), 'injected'),
      (e: unknown) => e instanceof DataError && reason.test(e.message),
      reason.source,
    );
  }
});

test('attack: every unsafe change to the manifest is refused by the check, naming the key', () => {
  const good = render();
  const edits: [string, (t: string) => string, RegExp][] = [
    ['debug enclave', (t) => t.replace('sgx.debug = false', 'sgx.debug = true'), /sgx\.debug: must be false/],
    ['no attestation', (t) => t.replace('sgx.remote_attestation = "dcap"', 'sgx.remote_attestation = "none"'), /remote_attestation: must be "dcap"/],
    ['host argv', (t) => t + '\nloader.insecure__use_cmdline_argv = true\n', /insecure__use_cmdline_argv/],
    ['host environment', (t) => t + '\nloader.insecure__use_host_env = true\n', /insecure__use_host_env/],
    ['ASLR off', (t) => t + '\nloader.insecure__disable_aslr = true\n', /insecure__disable_aslr/],
    ['node -e in argv', (t) => t.replace('"--disable-wasm-trap-handler",', '"-e", "process.exit()",'), /loader\.argv/],
    ['node --require in argv', (t) => t.replace('"--disable-wasm-trap-handler",', '"--require=/tmp/kfp/x.js",'), /Node flag --require/],
    ['another entry script', (t) => t.replace('/app/deploy/sgx/sealed-executor.mjs"]', '/app/bin/sealed"]'), /must end with \/app\/deploy\/sgx\/sealed-executor\.mjs/],
    ['argv from a file', (t) => t + '\nloader.argv_src_file = "file:/tmp/kfp/argv"\n', /argv_src_file/],
    ['NODE_OPTIONS passthrough', (t) => t + '\nloader.env.NODE_OPTIONS = { passthrough = true }\n', /NODE_OPTIONS: must not be set/],
    ['host CA bundle', (t) => t + '\nloader.env.SSL_CERT_FILE = { passthrough = true }\n', /SSL_CERT_FILE/],
    ['key id from the host', (t) => t.replace(/loader\.env\.SEALED_KEYVAULT_KEY_ID = "[^"]*"/, 'loader.env.SEALED_KEYVAULT_KEY_ID = { passthrough = true }'), /SEALED_KEYVAULT_KEY_ID: must not be passed through/],
    ['provider from the host', (t) => t.replace(/loader\.env\.SEALED_KEY_PROVIDER = "[^"]*"/, 'loader.env.SEALED_KEY_PROVIDER = { passthrough = true }'), /SEALED_KEY_PROVIDER: must not be passed through/],
    ['local keys inside', (t) => t.replace('loader.env.SEALED_KEY_PROVIDER = "azure-skr"', 'loader.env.SEALED_KEY_PROVIDER = "local"'), /SEALED_KEY_PROVIDER: must be azure-skr or none/],
    ['encrypted mount', (t) => t.replace('{ type = "tmpfs", path = "/sealed-tmp" }', '{ type = "encrypted", path = "/sealed-tmp", uri = "file:/tmp/x", key_name = "default" }'), /mount type encrypted/],
    ['whole host allowed', (t) => t.replace('"file:/minio/",', '"file:/",'), /file:\/ is not one of/],
    ['device allowed', (t) => t.replace('"file:/minio/",', '"dev:/dev/sgx_enclave",'), /dev:\/dev\/sgx_enclave/],
    ['no hash checks', (t) => t.replace('sgx.file_check_policy = "strict"', 'sgx.file_check_policy = "allow_all_but_log"'), /file_check_policy/],
    ['too small', (t) => t.replace('sgx.enclave_size = "2G"', 'sgx.enclave_size = "1G"'), /enclave_size: must be a power of two of at least 2G/],
    ['not a power of two', (t) => t.replace('sgx.enclave_size = "2G"', 'sgx.enclave_size = "3G"'), /enclave_size/],
    ['too few threads', (t) => t.replace('sgx.max_threads = 32', 'sgx.max_threads = 8'), /max_threads: must be at least 32/],
    ['no eventfd', (t) => t.replace('sys.insecure__allow_eventfd = true', 'sys.insecure__allow_eventfd = false'), /allow_eventfd: must be true/],
    ['node_modules untrusted', (t) => t.replace('  "file:/app/node_modules/",\n', ''), /must include file:\/app\/node_modules\//],
    ['node untrusted', (t) => t.replace('  "file:/usr/local/bin/node",\n', ''), /must include file:\/usr\/local\/bin\/node/],
    ['another interpreter', (t) => t.replace('libos.entrypoint = "/usr/local/bin/node"', 'libos.entrypoint = "/bin/sh"'), /libos\.entrypoint/],
    ['duplicate key', (t) => t + '\nsgx.isvsvn = 9\n', /'sgx\.isvsvn' is defined twice/],
    ['a table redefined', (t) => t + '\n[sgx]\ndebug = true\n', /reopens|defined twice/],
  ];
  assert.ok(checkManifest(parseToml(good)));
  for (const [name, edit, reason] of edits) {
    const text = edit(good);
    assert.notEqual(text, good, `${name}: the edit changed nothing`);
    assert.throws(
      () => checkManifest(parseToml(text, 'm'), 'm'),
      (e: unknown) => e instanceof DataError && reason.test(e.message) && !e.message.includes('\n'),
      name,
    );
  }
});

test('the TOML reader refuses what it does not know rather than guessing', () => {
  for (const [text, reason] of [
    ['a = """x"""', /multi-line/],
    ['a = 1.5', /floats and dates/],
    ['a = 1979-05-27', /floats and dates/],
    ['a = "x', /unterminated/],
    ['a = "\\q"', /unknown escape/],
    ['a = { b = 1, }', /expected a key/],
    ['a = 1 b = 2', /end of the line/],
    ['a.b = 1\na = 2', /defined twice|already defined/],
    ['__proto__ = 1', /^$/],
  ] as const) {
    if (reason.source === '^$') {
      const t = parseToml(text);
      assert.equal(Object.getPrototypeOf(t), null);
      assert.equal(t.__proto__, 1n);
      continue;
    }
    assert.throws(() => parseToml(text, 't'), (e: unknown) => e instanceof DataError && /^t, line \d+: /.test(e.message) && reason.test(e.message), text);
  }
});
