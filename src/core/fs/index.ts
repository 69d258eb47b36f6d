export { writeFileAtomic, writeFileAtomicSync, withAtomicFile, tempPathFor, type AtomicWriteOptions } from './atomicWrite.ts';
export { sha256File, sha256 } from './sha256.ts';
