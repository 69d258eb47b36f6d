// A strict reader for the part of TOML (https://toml.io/en/v1.0.0) a Gramine manifest uses: what our template
// renders to and what gramine-manifest / gramine-sgx-sign write back with tomli_w (gramine
// python/graminelibos/manifest.py@v1.9 dump): comments, [tables], [[arrays of tables]], dotted and quoted keys,
// basic and literal one-line strings, integers (decimal, 0x, 0o, 0b, with _), booleans, arrays and inline tables.
// Multi-line strings, floats and dates are refused (a manifest check must not guess), and so is every
// redefinition of a key: TOML forbids it, and a duplicate `sgx.debug` is exactly what an injected template
// value would add.
import { DataError } from '../../core/index.ts';

export type TomlValue = string | bigint | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

/** A manifest is small (tens of thousands of trusted-file lines at most); anything bigger is refused. */
export const MAX_TOML_BYTES = 64 * 1024 * 1024;

const BARE_KEY = /^[A-Za-z0-9_-]+/;

/** Tables without a prototype: a key named __proto__ is just a key. */
const newTable = (): TomlTable => Object.create(null) as TomlTable;

export function parseToml(text: string, source = 'manifest'): TomlTable {
  if (text.length > MAX_TOML_BYTES) throw new DataError('enclave.badManifest', { source, line: 1, reason: `larger than ${MAX_TOML_BYTES} bytes` });
  return new Parser(text, source).parse();
}

class Parser {
  private i = 0;
  private line = 1;
  private readonly root: TomlTable = newTable();
  // How each table came to be, for TOML's rule that a table is defined once: by a [header], implicitly by a dotted
  // key, or as an inline table / array, which is closed once written. Kept beside the values, not in them.
  private readonly headerTables = new WeakSet<object>();
  private readonly dottedTables = new WeakSet<object>();
  private readonly closedValues = new WeakSet<object>();
  constructor(
    private readonly s: string,
    private readonly source: string,
  ) {}

  private fail(reason: string): never {
    throw new DataError('enclave.badManifest', { source: this.source, line: this.line, reason });
  }

  parse(): TomlTable {
    let table: TomlTable = this.root;
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.i >= this.s.length) return this.root;
      if (this.s[this.i] === '[') table = this.header();
      else this.keyValue(table);
      this.endOfLine();
    }
  }

  private header(): TomlTable {
    const array = this.s.startsWith('[[', this.i);
    this.i += array ? 2 : 1;
    this.skipWs();
    const path = this.key();
    this.skipWs();
    if (!this.s.startsWith(array ? ']]' : ']', this.i)) this.fail(`expected ${array ? ']]' : ']'} after the table name`);
    this.i += array ? 2 : 1;
    let t: TomlTable = this.root;
    for (const [k, part] of path.entries()) {
      const last = k === path.length - 1;
      if (last && array) {
        const existing = t[part];
        if (existing === undefined) t[part] = [];
        else if (!Array.isArray(existing) || this.closedValues.has(existing)) this.fail(`'${path.join('.')}' is already defined`);
        const entry = newTable();
        (t[part] as TomlValue[]).push(entry);
        return entry;
      }
      t = this.descend(t, part, path);
      if (last) {
        if (this.headerTables.has(t) || this.dottedTables.has(t)) this.fail(`table [${path.join('.')}] is defined twice`);
        this.headerTables.add(t);
      }
    }
    return t;
  }

  /** Goes into (or creates) the sub-table `part`; the last element of an array of tables counts as the table. */
  private descend(t: TomlTable, part: string, path: string[]): TomlTable {
    const v = t[part];
    if (v === undefined) return (t[part] = newTable()) as TomlTable;
    if (Array.isArray(v) && !this.closedValues.has(v) && v.length > 0) return v[v.length - 1] as TomlTable;
    if (typeof v !== 'object' || Array.isArray(v) || this.closedValues.has(v)) this.fail(`'${path.join('.')}' is already defined as a value`);
    return v as TomlTable;
  }

  private keyValue(table: TomlTable): void {
    const path = this.key();
    this.skipWs();
    if (this.s[this.i] !== '=') this.fail(`expected '=' after key '${path.join('.')}'`);
    this.i++;
    this.skipWs();
    const value = this.value();
    let t = table;
    for (const part of path.slice(0, -1)) {
      t = this.descend(t, part, path);
      // A dotted key may extend tables it created itself, never one a [header] defined.
      if (this.headerTables.has(t)) this.fail(`'${path.join('.')}' reopens table [${path.slice(0, -1).join('.')}]`);
      this.dottedTables.add(t);
    }
    const last = path[path.length - 1];
    if (Object.hasOwn(t, last)) this.fail(`'${path.join('.')}' is defined twice`);
    t[last] = value;
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.s[this.i];
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const m = BARE_KEY.exec(this.s.slice(this.i, this.i + 256));
        if (!m) this.fail('expected a key');
        parts.push(m[0]);
        this.i += m[0].length;
      }
      this.skipWs();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  private value(): TomlValue {
    const c = this.s[this.i];
    if (c === '"') {
      if (this.s.startsWith('"""', this.i)) this.fail('multi-line strings are not used in manifests and not accepted');
      return this.basicString();
    }
    if (c === "'") {
      if (this.s.startsWith("'''", this.i)) this.fail('multi-line strings are not used in manifests and not accepted');
      return this.literalString();
    }
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    const m = /^(true|false|[+-]?(?:0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*|0|[1-9](?:_?\d)*))(?=[\s,\]}#]|$)/.exec(this.s.slice(this.i, this.i + 100));
    if (!m) this.fail('expected a string, integer, boolean, array or inline table (floats and dates are not accepted)');
    this.i += m[0].length;
    if (m[0] === 'true' || m[0] === 'false') return m[0] === 'true';
    const text = m[0].replace(/_/g, '');
    const negative = text.startsWith('-');
    const digits = text.replace(/^[+-]/, '');
    const v = BigInt(digits);
    if ((digits.startsWith('0x') || digits.startsWith('0o') || digits.startsWith('0b')) && /^[+-]/.test(text)) this.fail('a sign is not allowed on hex, octal or binary integers');
    return negative ? -v : v;
  }

  private array(): TomlValue[] {
    this.i++;
    const out: TomlValue[] = [];
    this.closedValues.add(out);
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skipWsCommentsNewlines();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail("expected ',' or ']' in an array");
    }
  }

  private inlineTable(): TomlTable {
    this.i++;
    const t = newTable();
    this.skipWs();
    this.closedValues.add(t);
    if (this.s[this.i] === '}') {
      this.i++;
      return t;
    }
    for (;;) {
      this.skipWs();
      this.keyValue(t);
      this.skipWs();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] === '}') {
        this.i++;
        return t;
      } else this.fail("expected ',' or '}' in an inline table (inline tables are one line, without a trailing comma)");
    }
  }

  private basicString(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n' || c === '\r') this.fail('unterminated string');
      this.i++;
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.s[this.i++];
        const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
        if (e !== undefined && simple[e] !== undefined) out += simple[e];
        else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = this.s.slice(this.i, this.i + len);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail('bad \\u escape in a string');
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('a \\u escape is not a Unicode scalar value');
          out += String.fromCodePoint(cp);
          this.i += len;
        } else this.fail('unknown escape in a string');
      } else if (c < ' ' && c !== '\t') this.fail('control character in a string');
      else out += c;
    }
  }

  private literalString(): string {
    this.i++;
    const end = this.s.indexOf("'", this.i);
    const nl = this.s.indexOf('\n', this.i);
    if (end < 0 || (nl >= 0 && nl < end)) this.fail('unterminated string');
    const out = this.s.slice(this.i, end);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what TOML forbids here
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(out)) this.fail('control character in a string');
    this.i = end + 1;
    return out;
  }

  private skipWs(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  private skipComment(): void {
    if (this.s[this.i] !== '#') return;
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  private skipWsCommentsNewlines(): void {
    for (;;) {
      this.skipWs();
      this.skipComment();
      if (this.s[this.i] === '\r' && this.s[this.i + 1] === '\n') this.i++;
      if (this.s[this.i] !== '\n') return;
      this.i++;
      this.line++;
    }
  }

  private endOfLine(): void {
    this.skipWs();
    this.skipComment();
    if (this.i >= this.s.length) return;
    if (this.s[this.i] === '\r' && this.s[this.i + 1] === '\n') this.i++;
    if (this.s[this.i] !== '\n') this.fail('expected the end of the line after a value');
  }
}
