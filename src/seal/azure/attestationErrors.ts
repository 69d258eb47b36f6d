// A token, metadata or device answer that fails attestation checks. Messages are the
// `attest.*` entries of the catalog; each names the claim or header that failed and never
// quotes the token itself. The CLI exits 1 for them.
import { SealedError, type MessageCode } from '../../core/index.ts';

export class AttestationError<C extends MessageCode = MessageCode> extends SealedError<C> {}
