// Enclave runtime as configuration (issue 16 item 7): the SGX SIGSTRUCT a signed enclave comes with, the
// attestation policy derived from it, and the checks on the Gramine manifest the executor image is built with.
export { parseSigstruct, SIGSTRUCT_SIZE, SGX_FLAGS_DEBUG, type EnclaveIdentity } from './sigstruct.ts';
export { policyFromIdentity, serializePolicy, maaAuthority, TOKEN_MAX_AGE_SECONDS, TOKEN_CLOCK_SKEW_SECONDS, type AttestationPolicy, type PolicyOptions } from './attestationPolicy.ts';
export { parseToml, MAX_TOML_BYTES, type TomlTable, type TomlValue } from './toml.ts';
export { checkManifest, ALLOWED_FILES, PASSTHROUGH_ALLOWED, FIXED_REQUIRED, ENCLAVE_ENTRY, NODE_BINARY, type ManifestSummary } from './manifestCheck.ts';
export { checkManifestVars, renderManifestTemplate, MANIFEST_VAR_NAMES, ENCLAVE_SEAL_PROVIDERS, ARCH_LIBDIR, KEYVAULT_KEY_ID, type ManifestVars, type GraminePaths } from './manifestVars.ts';
