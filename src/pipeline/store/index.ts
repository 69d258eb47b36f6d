// Artifact storage: the interface, the local-file-system store, and the S3 and Azure Blob stores
// (one generic remote store over an object backend), with `--store` URL parsing.
export type { ArtifactStore, StoredObject, PutSource, StatOptions, CheckedOut, ObjectStream } from './artifactStore.ts';
export { LocalArtifactStore } from './localArtifactStore.ts';
export { RemoteArtifactStore, type RemoteStoreOptions } from './remoteArtifactStore.ts';
export { S3ArtifactStore, MIN_PART_SIZE, type S3StoreOptions, type S3Credentials } from './s3ArtifactStore.ts';
export { AzureBlobArtifactStore, type AzureBlobStoreOptions, type AzureCredentials } from './azureBlobArtifactStore.ts';
export { parseStoreUrl, parseStoreLocation, type StoreUrlOptions, type StoreLocation } from './storeUrl.ts';
export { checkKey, keyProblem, FOLDER_LISTING_NAME, FOLDER_PENDING_NAME } from './storeKey.ts';
export { folderDigest } from './remoteFolders.ts';
