// Key providers wrap and unwrap the per-artifact data keys of sealed artifacts (issue 16,
// item 2). The envelope (envelope.ts) stores the WrappedKey in the artifact header; the data
// key itself never leaves memory. `context` is the canonical encoding of the artifact's
// context (envelope.ts: encodeSealContext); a provider that supports additional data binds it,
// and the envelope binds it again through the header digest in every segment's AAD.

export interface WrappedKey {
  provider: string;
  keyId: string;
  algorithm: string;
  wrapped: string /* base64 */;
}

export interface KeyProvider {
  readonly name: string;
  wrapKey(dataKey: Uint8Array, context: Uint8Array): Promise<WrappedKey>;
  unwrapKey(wrapped: WrappedKey, context: Uint8Array): Promise<Uint8Array>;
}
