export { writeFileAtomic, writeFileAtomicSync, withAtomicFile, tempPathFor, type AtomicWriteOptions } from './atomicWrite.ts';
export { sha256File, sha256 } from './sha256.ts';
export { recordFileDigest, knownFileDigest, renameKeepingDigest, clearFileDigests, hashingChunks, markFileBytes, fileOfBytes, type FileDigest, type HashedChunks } from './fileDigests.ts';
export { fileSource, fileSink, toByteSource, toByteSink, isByteSource, isByteSink, readAllBytes, readAllText, readFirstLine, openRegularFile, type ByteSource, type ByteSink, type ByteChunks } from './byteIo.ts';
