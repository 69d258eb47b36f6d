// The variables of deploy/sgx/sealed-executor.manifest.template. gramine-manifest pastes a -D value into the
// template as it is (Jinja, no escaping: gramine python/gramine-manifest@v1.9 validate_define), so a value with
// a quote and a newline could add `sgx.debug = true` or a passthrough of NODE_OPTIONS to the manifest. Each value
// is therefore checked against the exact shape it may have before Dockerfile.sgx renders anything.
// renderManifestTemplate renders the same template the way gramine-manifest does for the constructs it uses
// (`{{ name }}`, `{{ gramine.libos }}`, `{{ gramine.runtimedir() }}`), for the tests and for checking a template
// where Gramine is not installed; anything else in `{{ }}` / `{% %}` is refused rather than guessed.
import { UsageError } from '../../core/index.ts';
import { maaAuthority } from './attestationPolicy.ts';

export const MANIFEST_VAR_NAMES = ['arch_libdir', 'isvprodid', 'isvsvn', 'enclave_size', 'seal_provider', 'keyvault_key_id', 'maa_endpoint'] as const;
export type ManifestVarName = (typeof MANIFEST_VAR_NAMES)[number];
export type ManifestVars = Record<ManifestVarName, string>;

/** Key providers an enclave may be built for: keys released against an attestation of it, or none (no sealing). */
export const ENCLAVE_SEAL_PROVIDERS = ['azure-skr', 'none'] as const;
/**
 * Enclave sizes a manifest may ask for: powers of two (Gramine requires one) from 2G, V8's own floor. Measured peak
 * address space per loan-default task (test/deploy/sgxEnclavePath.test.ts, Node 20, --disable-wasm-trap-handler):
 * ~1.3 GiB, but ~5.2 GiB for train-model and batch-inference, whose shared WebAssembly memory reserves its 4 GiB
 * maximum up front (src/gbdt/wasm/kernelMemory.ts MAX_PAGES) - so 8G until that maximum is lowered for enclaves.
 */
export const ENCLAVE_SIZES = ['2G', '4G', '8G', '16G', '32G', '64G'] as const;
/** SGX runs on x86-64 only; Debian's multiarch library folder. */
export const ARCH_LIBDIR = '/lib/x86_64-linux-gnu';
// The versioned key id https://<vault>.vault.azure.net/keys/<name>/<version> (or a Managed HSM's): versioned,
// because sealed artifacts name the exact key version that wrapped their data key (src/seal/azure/keyVaultKeyId.ts
// refuses an unversioned id); names per Key Vault's rules (vault 3-24 letters, digits, hyphens; key 1-127).
export const KEYVAULT_KEY_ID = /^https:\/\/[a-z0-9](?:[a-z0-9-]{1,22}[a-z0-9])\.(?:vault|managedhsm)\.azure\.net\/keys\/[A-Za-z0-9-]{1,127}\/[0-9A-Za-z]{1,64}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSAFE = /["'\\{}%#\x00-\x1f\x7f]/;

export function checkManifestVars(given: Readonly<Record<string, string | undefined>>): ManifestVars {
  const refuse = (name: string, value: string, expected: string): never => {
    throw new UsageError('enclave.badManifestVar', { name, value, expected });
  };
  for (const name of Object.keys(given)) {
    if (!(MANIFEST_VAR_NAMES as readonly string[]).includes(name)) refuse(name, given[name] ?? '', `one of ${MANIFEST_VAR_NAMES.join(', ')} (unknown variable)`);
  }
  const v = (name: ManifestVarName): string => {
    const value = given[name] ?? '';
    if (UNSAFE.test(value)) refuse(name, value, 'free of quotes, backslashes, braces, #, % and control characters (they could end its TOML string and add keys)');
    return value;
  };
  const out = {} as ManifestVars;
  out.arch_libdir = v('arch_libdir');
  if (out.arch_libdir !== ARCH_LIBDIR) refuse('arch_libdir', out.arch_libdir, ARCH_LIBDIR);
  for (const name of ['isvprodid', 'isvsvn'] as const) {
    out[name] = v(name);
    if (!/^(0|[1-9][0-9]{0,4})$/.test(out[name]) || Number(out[name]) > 0xffff) refuse(name, out[name], 'an integer from 0 to 65535');
  }
  out.enclave_size = v('enclave_size');
  if (!(ENCLAVE_SIZES as readonly string[]).includes(out.enclave_size)) refuse('enclave_size', out.enclave_size, `one of ${ENCLAVE_SIZES.join(', ')}`);
  out.seal_provider = v('seal_provider');
  if (!(ENCLAVE_SEAL_PROVIDERS as readonly string[]).includes(out.seal_provider)) {
    refuse('seal_provider', out.seal_provider, `${ENCLAVE_SEAL_PROVIDERS.join(' or ')} (inside an enclave, keys come from Secure Key Release; a key the host can read defeats the enclave)`);
  }
  out.keyvault_key_id = v('keyvault_key_id');
  out.maa_endpoint = v('maa_endpoint');
  if (out.seal_provider === 'azure-skr') {
    if (!KEYVAULT_KEY_ID.test(out.keyvault_key_id)) refuse('keyvault_key_id', out.keyvault_key_id, 'a versioned Key Vault key id, https://<vault>.vault.azure.net/keys/<name>/<version>');
    let authority: string | undefined;
    try {
      authority = maaAuthority(out.maa_endpoint);
    } catch {
      authority = undefined;
    }
    if (authority !== out.maa_endpoint) refuse('maa_endpoint', out.maa_endpoint, 'an Azure Attestation URL exactly as https://<name>.<region>.attest.azure.net');
  } else {
    if (out.keyvault_key_id !== '') refuse('keyvault_key_id', out.keyvault_key_id, 'empty when seal_provider is none');
    if (out.maa_endpoint !== '') refuse('maa_endpoint', out.maa_endpoint, 'empty when seal_provider is none');
  }
  return out;
}

export interface GraminePaths {
  /** gramine.libos: path of libsysdb.so. */
  libos: string;
  /** gramine.runtimedir(): Gramine's patched glibc. */
  runtimedir: string;
}

/** Renders the template's Jinja subset with checked variables; refuses any other template construct. */
export function renderManifestTemplate(template: string, vars: ManifestVars, gramine: GraminePaths): string {
  const stray = /\{%|\{#/.exec(template);
  if (stray) throw new UsageError('enclave.badManifestVar', { name: '(template)', value: template.slice(stray.index, stray.index + 40), expected: 'only {{ name }}, {{ gramine.libos }} and {{ gramine.runtimedir() }} in the template' });
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, expr: string) => {
    if (expr === 'gramine.libos') return gramine.libos;
    if (expr === 'gramine.runtimedir()') return gramine.runtimedir;
    if ((MANIFEST_VAR_NAMES as readonly string[]).includes(expr)) return vars[expr as ManifestVarName];
    throw new UsageError('enclave.badManifestVar', { name: '(template)', value: whole, expected: 'a known variable, gramine.libos or gramine.runtimedir()' });
  });
}
