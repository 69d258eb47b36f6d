// The UBJSON decoder and encoder on their own: what XGBoost 1.x/2.x/3.x write, standard UBJSON
// beyond that, and corrupt input (every failure a ModelError, never a hang or a huge allocation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../../src/core/index.ts';
import { parseModel } from '../../../src/gbdt/index.ts';
import { TypedValues } from '../../../src/gbdt/io/document.ts';
import { decodeUbjson } from '../../../src/gbdt/io/ubjsonRead.ts';
import { encodeUbjson } from '../../../src/gbdt/io/ubjsonWrite.ts';
import { fixtureModelBytes } from './formatFixtures.ts';

/** Bytes from a mix of marker strings and numbers (each number one byte). */
function ubj(...parts: (string | number | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else if (typeof p === 'number') out.push(p);
    else out.push(...p);
  }
  return Uint8Array.from(out);
}
const int64 = (n: number) => Array.from(Buffer.from(new BigInt64Array([BigInt(n)]).buffer).reverse());
const key = (k: string) => ['L', int64(k.length), k] as const;

function invalid(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => decodeUbjson(bytes, 'm.ubj'),
    (e: unknown) => e instanceof ModelError && e.code === 'gbdt.modelInvalid' && e.message.startsWith('m.ubj') && /UBJSON/.test(e.message) && pattern.test(e.message),
    String(pattern),
  );
}

test('decodes scalars, strings, plain, counted and typed containers', () => {
  assert.deepEqual(decodeUbjson(ubj('[', 'T', 'F', 'Z', 'i', 0xff, 'U', 0xff, 'I', 0x01, 0x00, 'C', 'x', 'S', 'i', 2, 'hi', ']')), [true, false, null, -1, 255, 256, 'x', 'hi']);
  assert.deepEqual(decodeUbjson(ubj('[', '#', 'U', 2, 'l', [0, 0, 1, 0], 'd', [0x3f, 0xc0, 0, 0])), [256, 1.5]);
  assert.deepEqual(decodeUbjson(ubj('[', 'D', [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], ']')), [Math.PI]);
  const o = decodeUbjson(ubj('{', ...key('a'), 'N', 'i', 5, 'i', 1, 'b', 'Z', '}')) as Record<string, unknown>;
  assert.deepEqual({ ...o }, { a: 5, b: null });
  const counted = decodeUbjson(ubj('{', '#', 'i', 1, 'U', 1, 'k', 'T')) as Record<string, unknown>;
  assert.deepEqual({ ...counted }, { k: true });
  // Typed arrays of every fixed-size number type (3.x adds i8 and i16 ones).
  assert.deepEqual(decodeUbjson(ubj('[', '$', 'd', '#', 'L', int64(2), [0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0])), Float32Array.from([1, -2]));
  assert.deepEqual(decodeUbjson(ubj('[', '$', 'i', '#', 'i', 2, [0xff, 0x01])), Int8Array.from([-1, 1]));
  assert.deepEqual(decodeUbjson(ubj('[', '$', 'I', '#', 'i', 1, [0x80, 0x00])), Int16Array.from([-32768]));
  assert.deepEqual(decodeUbjson(ubj('[', '$', 'U', '#', 'i', 0)), new Uint8Array(0));
  assert.deepEqual(decodeUbjson(ubj('[', '$', 'L', '#', 'i', 1, int64(-5))), Float64Array.from([-5]));
  assert.deepEqual(decodeUbjson(ubj('[', '$', 'D', '#', 'i', 1, [0x3f, 0xf0, 0, 0, 0, 0, 0, 0])), Float64Array.from([1]));
  // "__proto__" is an ordinary key, not a prototype.
  const p = decodeUbjson(ubj('{', ...key('__proto__'), 'i', 1, '}')) as Record<string, unknown>;
  assert.equal(Object.getOwnPropertyDescriptor(p, '__proto__')?.value, 1);
});

test('encodes like XGBoost 1.7: sorted keys, int64 lengths, counted arrays, smallest open integer range', () => {
  const bytes = encodeUbjson({ b: [126, 127, -127, -128, 32766, 32767, 2147483646, 2147483647], a: new TypedValues('u8', [1, 0]), c: true });
  const expected = ubj(
    '{', ...key('a'), '[', '$', 'U', '#', 'L', int64(2), [1, 0],
    ...key('b'), '[', '#', 'L', int64(8),
    'i', 126, 'I', [0, 127], 'i', 0x81, 'I', [0xff, 0x80], 'I', [0x7f, 0xfe], 'l', [0, 0, 0x7f, 0xff], 'l', [0x7f, 0xff, 0xff, 0xfe], 'L', int64(2147483647),
    ...key('c'), 'T', '}',
  );
  assert.deepEqual(bytes, expected);
  const back = decodeUbjson(bytes) as Record<string, unknown>;
  assert.deepEqual(back.b, [126, 127, -127, -128, 32766, 32767, 2147483646, 2147483647]);
});

test('corrupt input is a ModelError naming the byte: markers, lengths, nesting, encoding', () => {
  invalid(new Uint8Array(0), /empty/);
  invalid(ubj('X'), /unknown type marker 'X' \(byte 0\)/);
  invalid(ubj('[', 'i', 1, 0x07, ']'), /unknown type marker 0x07 \(byte 3\)/);
  invalid(ubj('H', 'i', 1, '1'), /high-precision/);
  invalid(ubj('{', 'S', 'i', 1, 'a', 'T', '}'), /expected an integer type marker, got 'S'/);
  invalid(ubj('S', 'i', 0xff), /negative string length -1/);
  invalid(ubj('S', 'L', int64(2 ** 40), 'abc'), /truncated: a string of 1099511627776 bytes needs/);
  invalid(ubj('S', 'L', int64(2 ** 60)), /int64 1152921504606846976 is out of range/);
  invalid(ubj('[', '$', 'd', '#', 'L', int64(2 ** 50), [0, 0, 0, 0]), /truncated: a typed array of 1125899906842624 elements/);
  invalid(ubj('[', '#', 'l', [0x7f, 0xff, 0xff, 0xff], 'Z'), /truncated: an array of 2147483647 elements/);
  invalid(ubj('{', '#', 'l', [0x7f, 0xff, 0xff, 0xff]), /truncated: an object of 2147483647 entries/);
  invalid(ubj('[', '$', 'S', '#', 'i', 1, 'i', 1, 'a'), /typed arrays of 'S' are not supported/);
  invalid(ubj('[', '$', 'd', 'i', 1), /needs a count/);
  invalid(ubj('{', '$', 'i', '#', 'i', 1, 'i', 1, 'a', 1), /typed objects/);
  invalid(ubj('S', 'i', 2, [0xc3, 0x28]), /not valid UTF-8/);
  invalid(ubj('[', 'T'), /truncated: a type marker/);
  invalid(ubj('T', 'T'), /1 unexpected bytes after the end/);
  invalid(ubj('d', 0, 0), /truncated: a float32 needs 4 bytes, 2 remain/);
  invalid(new Uint8Array(100000).fill('['.charCodeAt(0)), /nested deeper than 64/);
});

test('every truncation of a real XGBoost .ubj model is refused as invalid', () => {
  const full = fixtureModelBytes('binary_logitraw', 'ubj');
  for (let n = 0; n < full.length; n++) {
    assert.throws(
      () => parseModel(full.subarray(0, n), 'm.ubj'),
      (e: unknown) => e instanceof ModelError && e.code === 'gbdt.modelInvalid',
      `prefix of ${n} bytes`,
    );
  }
});

test('random byte corruption gives a model or a ModelError, nothing else', () => {
  const full = fixtureModelBytes('multi_softmax', 'ubj');
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let refused = 0;
  for (let k = 0; k < 400; k++) {
    const bytes = new Uint8Array(full);
    for (let e = 0; e < 1 + rand(3); e++) bytes[rand(bytes.length)] = rand(256);
    try {
      parseModel(bytes, 'm.ubj');
    } catch (err) {
      assert.ok(err instanceof ModelError, `mutation ${k}: ${String(err)}`);
      refused++;
    }
  }
  assert.ok(refused > 0);
});
