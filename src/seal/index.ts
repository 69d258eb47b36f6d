// Public API of sealed artifacts (issue 16): the envelope format, streaming seal/unseal,
// file helpers and the key-provider interface. Depends on core only.
export * from './envelope.ts';
export { sealFile, unsealFile, isSealed } from './files.ts';
export type { KeyProvider, WrappedKey } from './keyProvider.ts';
export { initKeyFolder, LocalKeyProvider, verifierFromPublicKey, publicKeyFingerprint } from './localKeys.ts';
