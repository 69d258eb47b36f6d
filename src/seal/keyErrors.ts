// Errors of key providers: a key folder or key file refused, a wrapped data key that does not
// unwrap. Messages are the `keys.*` entries of the catalog; the CLI exits 1 for them.
import { SealedError, type MessageCode } from '../core/index.ts';

export class KeyError<C extends MessageCode = MessageCode> extends SealedError<C> {}
