// The one table of tampering cases for sealed artifacts (issue 16, item 8), applied through raw
// byte access to whatever store holds a run: the local folder here, S3 and Azure Blob through
// their test servers. Each case changes stored bytes the way an attacker with write access to
// the store could; reading the artifact afterwards must fail with a one-line error naming it.
// Layout offsets follow the envelope format (src/seal/envelope.ts): preamble 12 bytes (magic 7,
// version 1, header length 4), header JSON, header MAC 32, then segments of segmentSize
// plaintext bytes + a 16-byte GCM tag each.

import assert from 'node:assert/strict';
import { readAllBytes, type ByteSource } from '../../src/core/index.ts';

export interface RawAccess {
  read(key: string): Promise<Buffer>;
  write(key: string, bytes: Buffer): Promise<void>;
}

export interface TamperTarget {
  /** The artifact the reader will open. */
  victim: string;
  /** Another sealed artifact of the same run (another task's output). */
  sibling: string;
  /** Raw access to the run's store. */
  run: RawAccess;
  /** The same artifact key in another sealed run (same keys), for cross-run swaps. */
  otherRun: RawAccess;
  segmentSize: number;
}

export interface TamperCase {
  name: string;
  /** What the one-line error must say (a pattern). */
  expect: RegExp;
  apply(t: TamperTarget): Promise<void>;
}

const PREAMBLE = 12;
const MAC = 32;
const TAG = 16;

function bodyStart(sealed: Buffer): number {
  return PREAMBLE + sealed.readUInt32BE(8) + MAC;
}

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}

async function edit(t: TamperTarget, change: (b: Buffer) => Buffer): Promise<void> {
  await t.run.write(t.victim, change(await t.run.read(t.victim)));
}

/** The victim needs at least three segments (the cases drop and swap whole ones). */
export const tamperCases: readonly TamperCase[] = [
  { name: 'a flipped bit in the header', expect: /header was altered|invalid sealed-artifact header|sealed for /, apply: (t) => edit(t, (b) => flip(b, PREAMBLE + 20)) },
  { name: 'a flipped bit in the header length', expect: /header|truncated/, apply: (t) => edit(t, (b) => flip(b, 11)) },
  { name: 'a flipped bit in the header MAC', expect: /header was altered/, apply: (t) => edit(t, (b) => flip(b, bodyStart(b) - 1)) },
  { name: 'a flipped bit in the body', expect: /segment 0 failed authentication/, apply: (t) => edit(t, (b) => flip(b, bodyStart(b) + 100)) },
  { name: 'a flipped bit in a segment tag', expect: /segment 1 failed authentication/, apply: (t) => edit(t, (b) => flip(b, bodyStart(b) + 2 * (t.segmentSize + TAG) - 1)) },
  { name: 'a flipped bit in the last tag', expect: /failed authentication/, apply: (t) => edit(t, (b) => flip(b, b.length - 1)) },
  { name: 'a truncated artifact (cut inside the last segment)', expect: /failed authentication|truncated/, apply: (t) => edit(t, (b) => b.subarray(0, b.length - 7)) },
  {
    name: 'a truncated artifact (cut at a segment boundary)',
    expect: /cut short|truncated|failed authentication/,
    apply: (t) => edit(t, (b) => b.subarray(0, bodyStart(b) + 2 * (t.segmentSize + TAG))),
  },
  { name: 'the magic bytes replaced (plaintext put in its place)', expect: /not a sealed artifact/, apply: (t) => edit(t, () => Buffer.from('person_age,person_income\n22,59000\n')) },
  {
    name: 'a segment dropped',
    expect: /segment 1 failed authentication/,
    apply: (t) =>
      edit(t, (b) => {
        const s = bodyStart(b);
        const seg = t.segmentSize + TAG;
        return Buffer.concat([b.subarray(0, s + seg), b.subarray(s + 2 * seg)]);
      }),
  },
  {
    name: 'two segments swapped',
    expect: /segment 0 failed authentication/,
    apply: (t) =>
      edit(t, (b) => {
        const s = bodyStart(b);
        const seg = t.segmentSize + TAG;
        return Buffer.concat([b.subarray(0, s), b.subarray(s + seg, s + 2 * seg), b.subarray(s, s + seg), b.subarray(s + 2 * seg)]);
      }),
  },
  {
    name: 'a segment replayed from another artifact',
    expect: /segment 1 failed authentication/,
    apply: async (t) => {
      const other = await t.run.read(t.sibling);
      await edit(t, (b) => {
        const s = bodyStart(b);
        const seg = t.segmentSize + TAG;
        const o = bodyStart(other);
        return Buffer.concat([b.subarray(0, s + seg), other.subarray(o, o + seg), b.subarray(s + 2 * seg)]);
      });
    },
  },
  { name: 'artifacts swapped between two tasks', expect: /sealed for (task|artifact|type) /, apply: async (t) => t.run.write(t.victim, await t.run.read(t.sibling)) },
  { name: 'artifacts swapped between two runs', expect: /sealed for runId /, apply: async (t) => t.run.write(t.victim, await t.otherRun.read(t.victim)) },
];

/** Reading `source` through the sealing codec must fail with one line that says `c.expect` and names `artifact`. */
export async function assertRefused(source: ByteSource, c: TamperCase, artifact: RegExp): Promise<string> {
  const err = await readAllBytes(source).then(
    () => assert.fail(`${c.name}: the read succeeded`),
    (e: Error) => e,
  );
  assert.match(err.message, c.expect);
  assert.match(err.message, artifact);
  assert.doesNotMatch(err.message, /\n/);
  return err.message;
}
