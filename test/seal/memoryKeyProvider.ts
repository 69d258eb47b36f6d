// A key provider for tests: AES-256-GCM key wrap under an in-memory key-encryption key, with
// the artifact context as additional data.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyProvider, WrappedKey } from '../../src/seal/index.ts';

export class MemoryKeyProvider implements KeyProvider {
  readonly name = 'memory';
  private readonly kek: Buffer;
  constructor(readonly keyId = 'test-key', kek: Buffer = randomBytes(32)) {
    this.kek = kek;
  }
  async wrapKey(dataKey: Uint8Array, context: Uint8Array): Promise<WrappedKey> {
    const nonce = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.kek, nonce);
    c.setAAD(context);
    const body = Buffer.concat([c.update(dataKey), c.final()]);
    return { provider: this.name, keyId: this.keyId, algorithm: 'A256GCM', wrapped: Buffer.concat([nonce, body, c.getAuthTag()]).toString('base64') };
  }
  async unwrapKey(wrapped: WrappedKey, context: Uint8Array): Promise<Uint8Array> {
    if (wrapped.keyId !== this.keyId) throw new Error(`key ${wrapped.keyId} is not ${this.keyId}`);
    const raw = Buffer.from(wrapped.wrapped, 'base64');
    const d = createDecipheriv('aes-256-gcm', this.kek, raw.subarray(0, 12));
    d.setAAD(context);
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
  }
}
