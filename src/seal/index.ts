// Public API of sealed artifacts (issue 16): the envelope format, streaming seal/unseal,
// file helpers and the key-provider interface. Depends on core only.
export * from './envelope.ts';
export { sealFile, unsealFile, isSealed } from './files.ts';
export type { KeyProvider, WrappedKey } from './keyProvider.ts';
export { initKeyFolder, LocalKeyProvider, verifierFromPublicKey, publicKeyFingerprint, type Signer, type Verifier } from './localKeys.ts';
// Signed run manifests and sealed verify (uses the ArtifactStore interface, types only).
export * from './attest/index.ts';
// Azure: Key Vault wrap/unwrap, Secure Key Release, MAA token checks, the release policy (src/seal/azure),
// and the per-task key configuration from the environment. The Azure SDK loads on first use only.
export * from './azure/index.ts';
export { keyProviderFromEnv, KEY_PROVIDER_ENV, KEYS_DIR_ENV, KEYVAULT_KEY_ID_ENV, MAA_ENDPOINT_ENV, ATTESTATION_POLICY_ENV, KEY_PROVIDER_KINDS, type KeyProviderKind, type KeyProviderFromEnvDeps, type ConfiguredKeys } from './keyProviderFromEnv.ts';
export { SealingCodec, sealRecordOf, SEAL_RECORD_KEY, type SealRecord, type SealingCodecOptions } from './artifactCodec.ts';
