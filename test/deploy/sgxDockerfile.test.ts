// Dockerfile.sgx, tested without a Docker engine or network (neither exists here): its shape. Built from the normal
// image, Gramine from its signed apt repositories (Documentation/installation.rst@v1.9 "Debian 12"), the signing key
// only as a BuildKit secret mount, every build argument checked before gramine-manifest renders it and the manifest
// checked as rendered and as signed, the entry point the compiler writes (sealedRuntime.ts ENCLAVE_COMMAND), the
// manifest name and folder run-enclave starts, and a build context that carries nothing but deploy/sgx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENCLAVE_COMMAND } from '../../src/pipeline/index.ts';
import { MANIFEST_VAR_NAMES } from '../../src/seal/enclave/index.ts';
import { repoRoot } from '../helpers/sharedData.ts';

const text = readFileSync(join(repoRoot, 'Dockerfile.sgx'), 'utf8');
// Instructions with their continuation lines joined.
const instructions = text.replace(/\\\n\s*/g, ' ').split('\n').filter((l) => /^[A-Z]+ /.test(l));
const runs = instructions.filter((l) => l.startsWith('RUN '));

test('stages: from the normal image; the last stage is the enclave image', () => {
  const froms = instructions.filter((l) => l.startsWith('FROM '));
  assert.deepEqual(froms, ['FROM ${BASE_IMAGE} AS app', 'FROM app AS enclave', 'FROM scratch AS sigstruct', 'FROM enclave AS image']);
  assert.match(text, /^ARG BASE_IMAGE=/m);
});

test('Gramine from the official repository, pinned to signed keyrings', () => {
  const install = runs.find((l) => l.includes('apt-get install -y --no-install-recommends gramine'));
  assert.ok(install);
  assert.match(install, /signed-by=\/etc\/apt\/keyrings\/gramine-keyring-\$\{codename\}\.gpg\] https:\/\/packages\.gramineproject\.io\//);
  assert.match(install, /signed-by=\/etc\/apt\/keyrings\/intel-sgx-deb\.asc\] https:\/\/download\.01\.org\/intel-sgx\/sgx_repo\/ubuntu jammy main/);
  assert.doesNotMatch(install, /trusted=yes|--allow-unauthenticated/);
});

test('the signing key is a BuildKit secret mount, never copied, never an argument', () => {
  const sign = runs.find((l) => l.includes('gramine-sgx-sign'));
  assert.ok(sign);
  assert.match(sign, /^RUN --mount=type=secret,id=enclave-signing-key,required=true /);
  assert.match(sign, /--key \/run\/secrets\/enclave-signing-key/);
  for (const l of instructions) {
    if (l.startsWith('COPY ') || l.startsWith('ADD ') || l.startsWith('ARG ') || l.startsWith('ENV ')) assert.doesNotMatch(l, /key\.pem|\.pem\b|PRIVATE|SIGNING_KEY/i, l);
  }
  const ignore = readFileSync(join(repoRoot, 'Dockerfile.sgx.dockerignore'), 'utf8');
  assert.match(ignore, /^\*$/m);
  assert.match(ignore, /^!deploy\/sgx\/$/m);
  assert.match(ignore, /^deploy\/sgx\/\*\.pem$/m);
});

test('every -D value is checked before gramine-manifest, the manifest after it and after signing', () => {
  const render = runs.find((l) => l.includes('gramine-manifest '));
  assert.ok(render);
  const order = ['sealed enclave check-vars', 'gramine-manifest ', 'sealed enclave check-manifest sealed-executor.manifest'].map((s) => render.indexOf(s));
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `order in: ${render}`);
  const defined = [...render.matchAll(/-D(\w+)=/g)].map((m) => m[1]).sort();
  assert.deepEqual(defined, [...MANIFEST_VAR_NAMES].sort(), 'exactly the template variables');
  const sign = runs.find((l) => l.includes('gramine-sgx-sign'))!;
  assert.ok(sign.indexOf('check-manifest sealed-executor.manifest.sgx') > sign.indexOf('gramine-sgx-sign'));
  assert.ok(runs.indexOf(render) < runs.indexOf(sign));
  assert.ok(runs.findIndex((l) => l.includes('precompile.mjs /app')) < runs.indexOf(render), 'precompiled before the trusted files are hashed');
});

test('the entry point is the command the compiler writes; run-enclave starts the manifest this builds, where it builds it', () => {
  assert.ok(instructions.includes(`ENTRYPOINT ${JSON.stringify([...ENCLAVE_COMMAND])}`));
  assert.match(text, /^WORKDIR \/app\/sgx$/m);
  assert.match(runs.find((l) => l.includes('gramine-manifest ')) ?? '', /sealed-executor\.manifest\.template sealed-executor\.manifest /);
  const runEnclave = readFileSync(join(repoRoot, 'deploy', 'sgx', 'run-enclave'), 'utf8');
  assert.match(runEnclave, /cd "\$app\/sgx"\nexec gramine-sgx sealed-executor\n/);
  assert.ok((statSync(join(repoRoot, 'deploy', 'sgx', 'run-enclave')).mode & 0o111) !== 0, 'run-enclave is executable');
  assert.match(instructions.filter((l) => l.startsWith('USER ')).at(-1) ?? '', /^USER [1-9][0-9]*:[1-9][0-9]*$/);
  for (const l of instructions.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
    for (const src of l.split(/\s+/).slice(1, -1)) assert.ok(existsSync(join(repoRoot, src)), `${src} is copied but missing`);
  }
});
