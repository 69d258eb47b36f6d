// A count with thousands separators, as `n.toLocaleString('en-US')` writes an integer
// ("1,234,567"), for the trainer's memory messages. toLocaleString's first call loads ICU's number
// formatting (~17 ms), which training paid on every run for a message it almost never shows.

/** `n` (an integer; anything else goes to String) grouped by threes with commas. */
export function countText(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) {
    const part = digits.slice(Math.max(0, end - 3), end);
    out = out === '' ? part : `${part},${out}`;
  }
  return n < 0 ? `-${out}` : out;
}
