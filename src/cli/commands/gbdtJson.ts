// JSON.parse with an error that says where: Node's messages give a position only for some
// mistakes, so on failure a small scanner of the JSON grammar finds the first bad character and
// the error names the file, line and column.
import { UsageError } from '../../core/index.ts';

export function parseJson(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(body);
  } catch (e) {
    const problem = locateJsonError(body) ?? { offset: 0, reason: (e as Error).message };
    const { line, column } = lineColumn(body, problem.offset);
    throw new UsageError('cli.badJson', { reason: problem.reason }, { location: { file, line, column }, cause: e });
  }
}

/** The first syntax error of `s` as JSON, or undefined when it is valid. */
export function locateJsonError(s: string): { offset: number; reason: string } | undefined {
  let i = 0;
  class Bad {
    constructor(readonly reason: string) {}
  }
  const found = (): string => (i >= s.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(s[i])}`);
  const fail = (expected: string): never => {
    throw new Bad(`${found()}, expected ${expected}`);
  };
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= s.length) throw new Bad('unterminated string');
      const c = s[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
            i++;
            throw new Bad('bad \\u escape in string, expected 4 hex digits');
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          i++;
          throw new Bad(`bad escape ${JSON.stringify('\\' + (e ?? ''))} in string`);
        }
        i += 2;
        continue;
      }
      if (c < ' ') throw new Bad('control character in string (write it as an escape such as \\n)');
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (s[i] !== ':') fail("':'");
        i++;
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        fail("',' or ']'");
      }
    }
    if (c === '"') return string();
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if ((c === '-' || (c >= '0' && c <= '9')) && number.test(s)) {
      i = number.lastIndex;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (s.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    fail('a value');
  };
  try {
    value();
    ws();
    if (i < s.length) fail('the end of the file after the JSON value');
    return undefined;
  } catch (e) {
    if (e instanceof Bad) return { offset: i, reason: e.reason };
    throw e;
  }
}

/** 1-based line and column of a character offset. */
function lineColumn(s: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < s.length; k++) {
    if (s[k] === '\n' || (s[k] === '\r' && s[k + 1] !== '\n')) {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
