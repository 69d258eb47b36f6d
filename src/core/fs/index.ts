export { writeFileAtomic, writeFileAtomicSync, withAtomicFile, tempPathFor, type AtomicWriteOptions } from './atomicWrite.ts';
export { sha256File, sha256 } from './sha256.ts';
export { fileSource, fileSink, toByteSource, toByteSink, isByteSource, isByteSink, readAllBytes, readAllText, readFirstLine, openRegularFile, type ByteSource, type ByteSink, type ByteChunks } from './byteIo.ts';
