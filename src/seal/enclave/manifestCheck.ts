// What a Gramine manifest of the executor must say before it is signed, checked on the rendered manifest (and
// again on the signed .manifest.sgx) by `sealed enclave check-manifest` in Dockerfile.sgx. Each rule names the
// attack it stops; the syntax is Gramine's (Documentation/manifest-syntax.rst@v1.9, cited per rule).
import { DataError } from '../../core/index.ts';
import { ENCLAVE_SEAL_PROVIDERS, KEYVAULT_KEY_ID } from './manifestVars.ts';
import { maaAuthority } from './attestationPolicy.ts';
import type { TomlTable, TomlValue } from './toml.ts';

export const NODE_BINARY = '/usr/local/bin/node';
export const ENCLAVE_ENTRY = '/app/deploy/sgx/sealed-executor.mjs';
/** Node flags the manifest may fix: none of them loads code or opens a debugger. */
const NODE_FLAGS = [/^--disable-wasm-trap-handler$/, /^--max-old-space-size=[1-9][0-9]{0,5}$/, /^--stack-size=[1-9][0-9]{0,5}$/];
export const MIN_ENCLAVE_SIZE = 2 * 1024 ** 3;
export const MIN_THREADS = 32;

/**
 * Variables the host may set at run time ({ passthrough = true }): none decides which key the enclave uses or
 * which code it runs. KFP's own (argocompiler/common.go commonEnvs), the egress proxy, workload identity, the
 * data-source policy and the run's seal switch.
 */
export const PASSTHROUGH_ALLOWED: ReadonlySet<string> = new Set([
  'SEALED_SEAL',
  'SEALED_DATA_POLICY',
  'KFP_POD_NAME',
  'KFP_POD_UID',
  'KFP_RETRY_INDEX',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
]);
/** Variables that must be fixed (measured) values: they choose the key, the attestation service, the mode. */
export const FIXED_REQUIRED = ['SEALED_ENCLAVE', 'SEALED_KEY_PROVIDER', 'SEALED_KEYVAULT_KEY_ID', 'SEALED_MAA_ENDPOINT'] as const;
/** Never set at all: each loads code, or replaces the trust roots TLS to Key Vault depends on. */
const FORBIDDEN_ENV = /^(NODE_OPTIONS|NODE_EXTRA_CA_CERTS|NODE_TLS_REJECT_UNAUTHORIZED|NODE_PATH|NODE_DEBUG_NATIVE|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|AWS_CA_BUNDLE|OPENSSL_CONF|OPENSSL_MODULES|LD_PRELOAD|LD_AUDIT|LD_DEBUG|GCONV_PATH|SEALED_ENCLAVE_ARGV_FILE|SEALED_DEBUG)$/;
/**
 * Host files the enclave may open without a hash (sgx.allowed_files): KFP's artifact mounts and hand-off files
 * (launcher_v2.go LocalPathForURI; driver.go provisionOutputs), the task's arguments, the policy, the token.
 */
export const ALLOWED_FILES: ReadonlySet<string> = new Set([
  'file:/minio/',
  'file:/s3/',
  'file:/gcs/',
  'file:/tmp/kfp_outputs/',
  'file:/tmp/kfp/',
  'file:/tmp/sealed-enclave/',
  'file:/var/run/sealed-policy/',
  'file:/var/run/secrets/azure/tokens/',
]);
/** The only `insecure__` option allowed: libuv needs host eventfd (manifest-syntax.rst "Allowing host-based insecure eventfd"). */
const INSECURE_ALLOWED = new Set(['sys.insecure__allow_eventfd']);

export interface ManifestSummary {
  isvProdId: number;
  isvSvn: number;
  enclaveSize: string;
  maxThreads: number;
  sealProvider: string;
  trustedFiles: number;
  passthrough: string[];
}

export function checkManifest(m: TomlTable, source = 'manifest'): ManifestSummary {
  const unsafe = (key: string, reason: string): never => {
    throw new DataError('enclave.unsafeManifest', { source, key, reason });
  };
  const get = (key: string): TomlValue | undefined => {
    let v: TomlValue | undefined = m;
    for (const part of key.split('.')) v = v !== undefined && isTable(v) && Object.hasOwn(v, part) ? v[part] : undefined;
    return v;
  };
  const str = (key: string): string | undefined => {
    const v = get(key);
    if (v !== undefined && typeof v !== 'string') unsafe(key, 'must be a string');
    return v as string | undefined;
  };
  const int = (key: string): bigint | undefined => {
    const v = get(key);
    if (v !== undefined && typeof v !== 'bigint') unsafe(key, 'must be an integer');
    return v as bigint | undefined;
  };

  // Every insecure__ option but eventfd (host env, cmdline argv, disabled ASLR, ...) breaks an assumption below.
  for (const key of flatKeys(m)) if (/(^|\.)insecure__/.test(key) && !INSECURE_ALLOWED.has(key) && get(key) !== false) unsafe(key, 'insecure options other than sys.insecure__allow_eventfd are refused');

  // "Debug/production enclave": a debug enclave's memory is readable by the host.
  if (get('sgx.debug') !== false) unsafe('sgx.debug', 'must be false (a debuggable enclave is no enclave)');
  // "Attestation and quotes": keys are released against a DCAP quote only (EPID is gone).
  if (str('sgx.remote_attestation') !== 'dcap') unsafe('sgx.remote_attestation', 'must be "dcap"');
  // "File check policy": allow_all_but_log opens every host file unhashed.
  const fcp = str('sgx.file_check_policy');
  if (fcp !== undefined && fcp !== 'strict') unsafe('sgx.file_check_policy', 'must be "strict"');

  // "Enclave size" / "Number of threads": V8 reserves most of 2 GiB; Node wants ~32 threads.
  const size = str('sgx.enclave_size');
  const bytes = size === undefined ? undefined : parseSize(size);
  if (bytes === undefined || bytes < MIN_ENCLAVE_SIZE || (bytes & (bytes - 1n)) !== 0n) unsafe('sgx.enclave_size', `must be a power of two of at least 2G, got ${size ?? 'nothing'}`);
  const threads = int('sgx.max_threads');
  if (threads === undefined || threads < BigInt(MIN_THREADS)) unsafe('sgx.max_threads', `must be at least ${MIN_THREADS}`);
  if (get('sys.insecure__allow_eventfd') !== true) unsafe('sys.insecure__allow_eventfd', 'must be true (libuv, hence Node, needs eventfd)');
  const isvProdId = int('sgx.isvprodid');
  const isvSvn = int('sgx.isvsvn');
  for (const [key, v] of [['sgx.isvprodid', isvProdId], ['sgx.isvsvn', isvSvn]] as const) if (v === undefined || v < 0n || v > 0xffffn) unsafe(key, 'must be an integer from 0 to 65535');

  // "LibOS Entrypoint" / "Command-line arguments": Node with our entry script and fixed, harmless flags only.
  if (str('libos.entrypoint') !== NODE_BINARY) unsafe('libos.entrypoint', `must be ${NODE_BINARY}`);
  if (get('loader.argv_src_file') !== undefined) unsafe('loader.argv_src_file', 'must not be set (arguments are fixed in loader.argv)');
  const argv = get('loader.argv');
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) unsafe('loader.argv', 'must be a fixed array of strings');
  const args = (argv as string[]).slice(1);
  const script = args.findIndex((a) => !a.startsWith('-'));
  if (script < 0 || args[script] !== ENCLAVE_ENTRY || script !== args.length - 1) unsafe('loader.argv', `must end with ${ENCLAVE_ENTRY} and nothing after it`);
  for (const flag of args.slice(0, script)) if (!NODE_FLAGS.some((re) => re.test(flag))) unsafe('loader.argv', `Node flag ${flag} is not allowed (only --disable-wasm-trap-handler, --max-old-space-size, --stack-size)`);

  // "Environment variables": an allowlist of passthroughs, the key choice measured, nothing that loads code.
  if (get('loader.env_src_file') !== undefined) unsafe('loader.env_src_file', 'must not be set');
  const env = get('loader.env');
  if (env === undefined || !isTable(env)) return unsafe('loader.env', 'must be a table');
  const passthrough: string[] = [];
  const fixed: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const key = `loader.env.${name}`;
    if (FORBIDDEN_ENV.test(name)) unsafe(key, 'must not be set (it loads code, changes trust roots or leaks internals)');
    if (isTable(value) && value.passthrough === true && Object.keys(value).length === 1) {
      if (!PASSTHROUGH_ALLOWED.has(name)) unsafe(key, `must not be passed through from the host (allowed: ${[...PASSTHROUGH_ALLOWED].join(', ')})`);
      passthrough.push(name);
    } else if (typeof value === 'string') fixed[name] = value;
    else if (isTable(value) && typeof value.value === 'string' && Object.keys(value).length === 1) fixed[name] = value.value;
    else unsafe(key, 'must be a string, { value = "..." } or { passthrough = true }');
  }
  for (const name of FIXED_REQUIRED) if (fixed[name] === undefined) unsafe(`loader.env.${name}`, 'must be a fixed value (it is measured into MRENCLAVE)');
  if (fixed.SEALED_ENCLAVE !== 'gramine') unsafe('loader.env.SEALED_ENCLAVE', 'must be "gramine"');
  const provider = fixed.SEALED_KEY_PROVIDER;
  if (!(ENCLAVE_SEAL_PROVIDERS as readonly string[]).includes(provider)) unsafe('loader.env.SEALED_KEY_PROVIDER', `must be ${ENCLAVE_SEAL_PROVIDERS.join(' or ')}`);
  if (provider === 'azure-skr') {
    if (!KEYVAULT_KEY_ID.test(fixed.SEALED_KEYVAULT_KEY_ID)) unsafe('loader.env.SEALED_KEYVAULT_KEY_ID', 'must be a Key Vault key URL');
    let authority: string | undefined;
    try {
      authority = maaAuthority(fixed.SEALED_MAA_ENDPOINT);
    } catch {
      authority = undefined;
    }
    if (authority !== fixed.SEALED_MAA_ENDPOINT) unsafe('loader.env.SEALED_MAA_ENDPOINT', 'must be https://<name>.<region>.attest.azure.net');
  }

  // "FS mount points" / "Encrypted files": no encrypted mount (artifacts are sealed by the executor) and no shared memory.
  const mounts = get('fs.mounts');
  if (mounts !== undefined && !Array.isArray(mounts)) unsafe('fs.mounts', 'must be an array');
  for (const mount of (mounts ?? []) as TomlValue[]) {
    if (!isTable(mount)) return unsafe('fs.mounts', 'every mount must be a table');
    const type = mount.type ?? 'chroot';
    if (type !== 'chroot' && type !== 'tmpfs') unsafe('fs.mounts', `mount type ${String(type)} at ${String(mount.path)} is not allowed (chroot or tmpfs only: artifacts are sealed already)`);
  }

  // "Allowed files": host files opened without a hash; only KFP's hand-off places, never code or devices.
  const allowed = get('sgx.allowed_files') ?? [];
  if (!Array.isArray(allowed)) return unsafe('sgx.allowed_files', 'must be an array');
  for (const entry of allowed) {
    const uri = typeof entry === 'string' ? entry : isTable(entry) ? entry.uri : undefined;
    if (typeof uri !== 'string' || !ALLOWED_FILES.has(uri)) unsafe('sgx.allowed_files', `${String(uri)} is not one of ${[...ALLOWED_FILES].join(', ')}`);
  }

  // "Trusted files": Node, the app and its node_modules are hashed (before signing as folders, after as files).
  const trusted = get('sgx.trusted_files');
  if (!Array.isArray(trusted)) return unsafe('sgx.trusted_files', 'must be an array');
  const uris = trusted.map((t) => (typeof t === 'string' ? t : isTable(t) && typeof t.uri === 'string' ? t.uri : ''));
  const covers = (uri: string) => uris.some((u) => u === uri || (u.endsWith('/') && uri.startsWith(u)) || (uri.endsWith('/') && u.startsWith(uri)));
  for (const need of [`file:${NODE_BINARY}`, `file:${ENCLAVE_ENTRY}`, 'file:/app/src/', 'file:/app/node_modules/', 'file:/app/package.json']) {
    if (!covers(need)) unsafe('sgx.trusted_files', `must include ${need}`);
  }
  for (const uri of uris) if (ALLOWED_FILES.has(uri) || [...ALLOWED_FILES].some((a) => uri.startsWith(a))) unsafe('sgx.trusted_files', `${uri} is also an allowed file`);

  return {
    isvProdId: Number(isvProdId),
    isvSvn: Number(isvSvn),
    enclaveSize: size!,
    maxThreads: Number(threads),
    sealProvider: provider,
    trustedFiles: uris.length,
    passthrough: passthrough.sort(),
  };
}

function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatKeys(t: TomlTable, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (isTable(v) ? [`${prefix}${k}`, ...flatKeys(v, `${prefix}${k}.`)] : [`${prefix}${k}`]));
}

/** Gramine's size syntax (sgx_sign.py@v1.9 parse_size): an integer (0x allowed) with an optional K, M or G. */
function parseSize(text: string): bigint | undefined {
  const m = /^(0x[0-9a-fA-F]+|[0-9]+)([KMG]?)$/.exec(text);
  if (!m) return undefined;
  const scale = { '': 1n, K: 1024n, M: 1024n ** 2n, G: 1024n ** 3n }[m[2] as '' | 'K' | 'M' | 'G'];
  return BigInt(m[1]) * scale;
}
