import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNumberText, scaleDoubleDouble } from '../../../src/data/csv/parseNumber.ts';

test('accepted spellings', () => {
  const cases: [string, number][] = [
    ['1', 1], ['-2.5', -2.5], ['+3', 3], ['5.', 5], ['.5', 0.5], ['1e-5', 1e-5], ['2E+10', 2e10], [' 1.5\t', 1.5],
    ['-0', -0], ['0.000', 0], ['inf', Infinity], ['-Infinity', -Infinity], ['1e400', Infinity], ['1e-400', 0],
  ];
  for (const [text, want] of cases) assert.ok(Object.is(parseNumberText(text), want), `${text} -> ${parseNumberText(text)}`);
});

test('rejected spellings are NaN', () => {
  for (const text of ['', ' ', '.', '-', '+', 'e5', '1e', '1e+', '1.2.3', '0x10', '1,5', 'abc', 'NaN', '12a', '--1', '1 2']) {
    assert.ok(Number.isNaN(parseNumberText(text)), text);
  }
});

test('equals Number() on random decimals (exact fast paths and fallback)', () => {
  let seed = 7;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  for (let k = 0; k < 200_000; k++) {
    let s: string;
    switch (k % 4) {
      case 0: s = String((rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20)); break;
      case 1: s = String(rnd() * 1e5); break;
      case 2: { const d = digits(1 + Math.floor(rnd() * 21)); const dot = Math.floor(rnd() * d.length); s = `${d.slice(0, dot)}.${d.slice(dot)}`; break; }
      default: s = `${digits(1 + Math.floor(rnd() * 19))}e${Math.floor(rnd() * 60 - 30)}`;
    }
    const got = parseNumberText(s);
    assert.ok(Object.is(got, Number(s)), `${s}: got ${got}, Number gives ${Number(s)}`);
  }
});

test('halfway and boundary cases', () => {
  for (const s of ['9007199254740993', '9007199254740995', '4503599627370496.5', '0.30000000000000004', '1152921504606846977',
    '9007199254740992.5', '1.00000000000000011102230246251565404236316680908203125', '2.2250738585072014e-308', '4.9e-324',
    '1.7976931348623157e308', '1.7976931348623159e308']) {
    assert.ok(Object.is(parseNumberText(s), Number(s)), s);
  }
});

test('the double-double path certifies typical 17-digit values (it really runs)', () => {
  // 17 significant digits: the mantissa exceeds 2^53, so Clinger's path cannot be used.
  let certified = 0;
  const samples = ['59000.901346062312', '16.044651983063451', '34999.808661584613', '0.66599999999999993'];
  for (const s of samples) {
    const digits = s.replace('.', '');
    const hi = Number(digits.slice(0, 15));
    const lo = Number(digits.slice(15));
    const v = scaleDoubleDouble(hi, lo, digits.length - 15, -(s.length - s.indexOf('.') - 1));
    if (!Number.isNaN(v)) {
      certified++;
      assert.equal(v, Number(s));
    }
  }
  assert.ok(certified >= 3, `only ${certified} of ${samples.length} certified`);
});
