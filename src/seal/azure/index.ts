// Azure key providers for sealed artifacts (issue 16, items 2 and 3): Key Vault wrap/unwrap,
// Secure Key Release into an attested SGX enclave, MAA token verification and the release
// policy generated from the same attestation policy file.
export { parseAttestationPolicy, readAttestationPolicy, MAX_POLICY_BYTES, type AttestationPolicy } from './attestationPolicy.ts';
export { AttestationError } from './attestationErrors.ts';
export { authorityOrigin, type AuthorityUrlOptions } from './authorityUrl.ts';
export { JwksCache, type JwksCacheOptions } from './jwksCache.ts';
export { verifyMaaToken, MAX_TOKEN_BYTES, type ExpectedRuntime, type VerifyMaaTokenOptions, type VerifiedAttestation } from './maaToken.ts';
export { buildReleasePolicy, encodeReleasePolicy, type ReleasePolicy, type ReleaseCondition } from './releasePolicy.ts';
export { parseKeyVaultKeyId, type KeyVaultKeyId } from './keyVaultKeyId.ts';
export { AzureKeyVaultKeyProvider, type AzureKeyVaultKeyProviderOptions, type TokenCredential } from './keyVaultProvider.ts';
export { AZURE_KEYVAULT_PROVIDER, RSA_OAEP_256 } from './wrappedRsaKey.ts';
export { runtimeDataFor, type Attester, type AttestRequest } from './attester.ts';
export { GramineDcapAttester, GramineAttestationDevice, MAA_API_VERSION, type AttestationDevice, type GramineDcapAttesterOptions } from './gramineAttester.ts';
export { SkrKeyProvider, type SkrKeyProviderOptions } from './skrProvider.ts';
