// `--store` URLs and where their credentials come from (no server needed: nothing here makes a
// request). Naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html,
// https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata;
// connection strings: https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureBlobArtifactStore, LocalArtifactStore, S3ArtifactStore, parseStoreLocation, parseStoreUrl } from '../../../src/pipeline/index.ts';

const S3_ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const AZ_KEY = 'c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cy0wMTIzNDU2Nzg5YWJjZGVm';
const AZ_ENV = { AZURE_STORAGE_ACCOUNT: 'acct1', AZURE_STORAGE_KEY: AZ_KEY };
const SECRETS = [S3_ENV.AWS_SECRET_ACCESS_KEY, AZ_KEY, 'hunter2', 'sv=2024&sig=abc123'];

/** `fn` throws one line matching `pattern` that holds none of the secrets. */
function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    for (const s of SECRETS) assert.ok(!e.message.includes(s), `secret in: ${e.message}`);
    return true;
  });
}

test('s3://bucket/prefix makes an S3 store whose location and URIs name the bucket and prefix', () => {
  const store = parseStoreUrl('s3://my.bucket-1/runs/2024/', S3_ENV, { s3Endpoint: 'http://127.0.0.1:9000' });
  assert.ok(store instanceof S3ArtifactStore);
  assert.equal(store.location, 's3://my.bucket-1/runs/2024');
  assert.equal(store.uriFor('task/out.csv'), 's3://my.bucket-1/runs/2024/task/out.csv');
  assert.equal(parseStoreUrl('s3://bucket', S3_ENV).uriFor('k'), 's3://bucket/k');
});

test('az://container/prefix makes an Azure Blob store from AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY', () => {
  const store = parseStoreUrl('az://runs/team-a', AZ_ENV);
  assert.ok(store instanceof AzureBlobArtifactStore);
  assert.equal(store.location, 'az://runs/team-a');
  assert.equal(store.uriFor('t/model.json'), 'az://runs/team-a/t/model.json');
  assert.ok(!store.location.includes(AZ_KEY));
});

test('Azurite connection string (BlobEndpoint on 127.0.0.1), UseDevelopmentStorage and SAS connection strings are accepted', () => {
  const azurite = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZ_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`;
  assert.equal(parseStoreUrl('az://c01', { AZURE_STORAGE_CONNECTION_STRING: azurite }).location, 'az://c01');
  assert.equal(parseStoreUrl('az://c01', { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).location, 'az://c01');
  const sas = parseStoreUrl('az://c01/p', { AZURE_STORAGE_CONNECTION_STRING: 'BlobEndpoint=https://acct1.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=abc123' });
  assert.equal(sas.uriFor('k'), 'az://c01/p/k');
});

test('a path without a scheme is a local folder store', () => {
  const store = parseStoreUrl('runs/r1', {});
  assert.ok(store instanceof LocalArtifactStore);
  assert.deepEqual(parseStoreLocation('/tmp/x'), { kind: 'local', path: '/tmp/x' });
  assert.deepEqual(parseStoreLocation('s3://b-1/p/q'), { kind: 's3', bucket: 'b-1', prefix: 'p/q' });
});

test('attack: credentials written into the URL are refused and never echoed', () => {
  refused(() => parseStoreUrl('s3://AKIDEXAMPLE:hunter2@bucket/p', S3_ENV), /invalid store URL 's3:\/\/\*\*\*@bucket\/p': it must not carry credentials; they come from the environment \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\)/);
  refused(() => parseStoreUrl('az://acct1:hunter2@container/p', AZ_ENV), /must not carry credentials; .*AZURE_STORAGE_CONNECTION_STRING/);
  refused(() => parseStoreUrl('s3://hunter2@bucket', S3_ENV), /must not carry credentials/);
  refused(() => parseStoreUrl('s3://AKIDEXAMPLE:hunter2/p', S3_ENV), /^invalid store URL 's3:\/\/\*\*\*\/p': it must not carry credentials/);
  refused(() => parseStoreUrl('az://container/p?sv=2024&sig=abc123', AZ_ENV), /must not have a query or fragment \(a SAS token or key belongs in the environment\)/);
  refused(() => parseStoreUrl('s3://bucket/p#hunter2', S3_ENV), /must not have a query or fragment/);
});

test('attack: prefixes that climb, start at the root or hide characters are refused', () => {
  for (const url of ['s3://bucket/../other', 's3://bucket/a/../../b', 's3://bucket//etc', 's3://bucket/a//b', 's3://bucket/./a', 's3://bucket/a\\b', 's3://bucket/%2e%2e/x', 's3://bucket/a\u202eb', 'az://cont/..']) {
    refused(() => parseStoreUrl(url, { ...S3_ENV, ...AZ_ENV }), /^invalid store URL '.*': (the prefix|it contains)/);
  }
  refused(() => parseStoreUrl('s3://bucket/a\x1b[2Jb', S3_ENV), /^invalid store URL 's3:\/\/bucket\/a\\x1b\[2Jb': it contains a control character$/);
});

test('bucket and container names follow the S3 and Azure naming rules', () => {
  for (const [name, why] of [['ab', '3 to 63'], ['Bucket', 'lowercase'], ['a_b', 'lowercase'], ['-abc', 'begin and end'], ['a..b', 'adjacent dots'], ['192.168.5.4', 'IP address'], ['xn--abc', "start with 'xn--'"], ['data-s3alias', "end with '-s3alias'"]]) {
    refused(() => parseStoreUrl(`s3://${name}/p`, S3_ENV), new RegExp(`bucket name '${name.replace(/\./g, '\\.')}' .*${why}`));
  }
  for (const [name, why] of [['a--b', 'two hyphens'], ['Abc', 'lowercase'], ['ab-', 'begin and end'], ['a.b', 'lowercase letters, digits and hyphens'], ['ab', '3 to 63']]) {
    refused(() => parseStoreUrl(`az://${name}/p`, AZ_ENV), new RegExp(`container name '${name.replace(/\./g, '\\.')}' .*${why}`));
  }
  refused(() => parseStoreUrl('gs://bucket/p', {}), /scheme 'gs' is not a store/);
  refused(() => parseStoreUrl('http://bucket/p', {}), /scheme 'http' is not a store/);
  refused(() => parseStoreUrl('s3:bucket', {}), /needs scheme:\/\//);
  refused(() => parseStoreUrl('', {}), /it is empty/);
});

test('missing credentials: one line naming the variable to set', () => {
  refused(() => parseStoreUrl('s3://bucket/p', {}), /^s3:\/\/bucket takes its credentials from the environment only, and AWS_ACCESS_KEY_ID is not set$/);
  refused(() => parseStoreUrl('s3://bucket/p', { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' }), /and AWS_SECRET_ACCESS_KEY is not set$/);
  refused(() => parseStoreUrl('az://cont/p', {}), /^az:\/\/cont takes its credentials from the environment only, and AZURE_STORAGE_CONNECTION_STRING \(or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY\) is not set$/);
  refused(() => parseStoreUrl('az://cont/p', { AZURE_STORAGE_ACCOUNT: 'acct1' }), /and AZURE_STORAGE_KEY is not set$/);
});

test('attack: credential files and profiles are never a fallback for the environment variables', () => {
  // The SDK's default chain would read these (and ask an instance metadata service); the store never does.
  const home = mkdtempSync(join(tmpdir(), 'sealed-aws-home-'));
  writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = hunter2\n');
  const env = { HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_PROFILE: 'default', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/creds' };
  refused(() => parseStoreUrl('s3://bucket/p', env), /AWS_ACCESS_KEY_ID is not set/);
});

test('attack: malformed credentials are refused without quoting them', () => {
  refused(() => parseStoreUrl('s3://bucket/p', { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'hunter2\n' }), /^AWS_SECRET_ACCESS_KEY is not usable: it contains white space or a control character$/);
  refused(() => parseStoreUrl('az://cont', { AZURE_STORAGE_ACCOUNT: 'acct1', AZURE_STORAGE_KEY: 'hunter2!' }), /^AZURE_STORAGE_KEY is not usable: the account key is not base64$/);
  refused(() => parseStoreUrl('az://cont', { AZURE_STORAGE_CONNECTION_STRING: 'hunter2' }), /^AZURE_STORAGE_CONNECTION_STRING is not usable: a part is not Name=Value$/);
  refused(() => parseStoreUrl('az://cont', { AZURE_STORAGE_CONNECTION_STRING: `AccountKey=${AZ_KEY}` }), /it has neither BlobEndpoint nor AccountName/);
  refused(() => parseStoreUrl('az://cont', { AZURE_STORAGE_CONNECTION_STRING: 'AccountName=acct1;EndpointSuffix=core.windows.net' }), /neither AccountKey nor SharedAccessSignature/);
});

test('attack: endpoints with user info, queries, other schemes or plain http to another host are refused', () => {
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: 'http://minio:hunter2@127.0.0.1:9000' }), /^store option --s3-endpoint 'http:\/\/\*\*\*@127\.0\.0\.1:9000' must not carry a user name or password/);
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: 'https://127.0.0.1:9000/?X-Amz-Signature=hunter2' }), /must not have a query or fragment/);
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: 'ftp://127.0.0.1' }), /must be an http:\/\/ or https:\/\/ URL/);
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: 'http://minio.example.com:9000' }), /is plain http to a host that is not this machine; use https/);
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: 'not a url' }), /is not a URL/);
  const leaky = `DefaultEndpointsProtocol=http;AccountName=acct1;AccountKey=${AZ_KEY};BlobEndpoint=http://10.0.0.5:10000/acct1`;
  refused(() => parseStoreUrl('az://cont', { AZURE_STORAGE_CONNECTION_STRING: leaky }), /BlobEndpoint of AZURE_STORAGE_CONNECTION_STRING 'http:\/\/10\.0\.0\.5:10000\/acct1' is plain http/);
  refused(() => parseStoreUrl('az://cont', { AZURE_STORAGE_CONNECTION_STRING: `AccountName=acct1;AccountKey=${AZ_KEY};DefaultEndpointsProtocol=http` }), /is plain http to a host that is not this machine/);
  // Accepted: https anywhere, http on loopback, and plain http when asked for explicitly.
  for (const ok of ['https://s3.example.com', 'http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000', 'http://127.5.0.1']) {
    assert.equal(parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: ok }).location, 's3://bucket');
  }
  assert.equal(parseStoreUrl('s3://bucket', S3_ENV, { s3Endpoint: 'http://minio.internal:9000', allowInsecureHttp: true }).location, 's3://bucket');
});

test('tuning options are checked: part size below S3\'s 5 MiB minimum, bad page sizes, bad regions', () => {
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { partSize: 1024 * 1024 }), /store option partSize '1048576' must be an integer from 5242880/);
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { listPageSize: 5000 }), /listPageSize '5000' must be an integer from 1 to 1000/);
  refused(() => parseStoreUrl('az://cont', AZ_ENV, { blockSize: 10 }), /blockSize '10' must be an integer from 1 MiB/);
  refused(() => parseStoreUrl('s3://bucket', { ...S3_ENV, AWS_REGION: 'us-east-1\nx' }), /region .* is not an AWS region name/);
  refused(() => parseStoreUrl('s3://bucket', S3_ENV, { maxAppendBytes: 0 }), /maxAppendBytes '0' must be a positive integer/);
});
