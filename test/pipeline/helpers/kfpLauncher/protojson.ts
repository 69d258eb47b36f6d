// A strict protobuf-JSON reader over the field sets in protoFields.generated.ts, failing the way
// google.golang.org/protobuf/encoding/protojson Unmarshal (DiscardUnknown=false, the default) does
// when the KFP backend parses JSON: the API server at upload
// (backend/src/apiserver/template/v2_template.go@2.0.5..HEAD, NewV2SpecTemplate: protojson.Unmarshal),
// the driver for the Kubernetes executor config (backend/src/v2/cmd/driver/main.go: jsonpb/util.UnmarshalString)
// and the launcher for the executor output file (backend/src/v2/component/launcher_v2.go, getExecutorOutputFile).
// Error text follows protojson's decoder: `proto: (line L:C): unknown field "x"`,
// `invalid value for string type: 2`, `invalid value for enum type: "X"`, `unexpected token ...`
// (the real library randomly prints "proto:" followed by a space or a no-break space; we print a space).

export interface ProtoField {
  name: string;
  json: string;
  type: string;
  repeated?: true;
  map?: [string, string];
  oneof?: string;
}
export interface ProtoSchema {
  source: string;
  messages: Record<string, ProtoField[]>;
  enums: Record<string, string[]>;
}

export class ProtoJsonError extends Error {}

type Node =
  | { kind: 'object'; pos: number; entries: { key: string; keyPos: number; value: Node }[] }
  | { kind: 'array'; pos: number; items: Node[] }
  | { kind: 'string'; pos: number; value: string; raw: string }
  | { kind: 'number'; pos: number; value: number; raw: string }
  | { kind: 'bool'; pos: number; value: boolean; raw: string }
  | { kind: 'null'; pos: number; raw: string };

/** Go's encoding/json.Marshal of a map[string]interface{} (what the API server feeds protojson): compact, keys sorted, HTML-escaped. */
export function goJsonMarshal(value: unknown): string {
  const esc = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return `[${v.map(walk).join(',')}]`;
    if (typeof v === 'object') {
      return `{${Object.keys(v as object)
        .sort()
        .map((k) => `${esc(k)}:${walk((v as Record<string, unknown>)[k])}`)
        .join(',')}}`;
    }
    if (typeof v === 'string') return esc(v);
    return JSON.stringify(v);
  };
  return walk(value);
}

function parseJson(text: string): Node {
  let i = 0;
  const fail = (msg: string): never => {
    throw new ProtoJsonError(`proto: ${where(text, i)}: ${msg}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const value = (): Node => {
    ws();
    const pos = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; keyPos: number; value: Node }[] = [];
      ws();
      if (text[i] === '}') return i++, { kind: 'object', pos, entries };
      for (;;) {
        ws();
        const keyPos = i;
        const k = value();
        if (k.kind !== 'string') return fail(`unexpected token ${text[keyPos]}`);
        ws();
        if (text[i++] !== ':') fail('unexpected token');
        entries.push({ key: k.value, keyPos, value: value() });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, { kind: 'object', pos, entries };
        else fail(`unexpected token ${text[i] ?? 'EOF'}`);
      }
    }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') return i++, { kind: 'array', pos, items };
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, { kind: 'array', pos, items };
        else fail(`unexpected token ${text[i] ?? 'EOF'}`);
      }
    }
    if (c === '"') {
      // eslint-disable-next-line no-control-regex
      const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i));
      if (!m) return fail('invalid string');
      i += m[0].length;
      return { kind: 'string', pos, value: JSON.parse(m[0]) as string, raw: m[0] };
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) return fail(`invalid value ${text.slice(i, i + 10)}`);
    i += m[0].length;
    if (m[0] === 'null') return { kind: 'null', pos, raw: 'null' };
    if (m[0] === 'true' || m[0] === 'false') return { kind: 'bool', pos, value: m[0] === 'true', raw: m[0] };
    return { kind: 'number', pos, value: Number(m[0]), raw: m[0] };
  };
  const root = value();
  ws();
  if (i < text.length) fail(`unexpected token ${text[i]}`);
  return root;
}

function where(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return `(line ${line}:${col})`;
}

const INT32 = /^(int32|uint32|sint32|fixed32|sfixed32)$/;
const INT64 = /^(int64|uint64|sint64|fixed64|sfixed64)$/;

/** protojson.Unmarshal(text, new(messageType)) against `schema`; throws ProtoJsonError like it. Returns the parsed JSON. */
export function protojsonUnmarshal(schema: ProtoSchema, messageType: string, text: string): unknown {
  return protojsonUnmarshalWith(schema, messageType, text, {}).value;
}

/**
 * With `discardUnknown` (protojson.UnmarshalOptions{DiscardUnknown: true} / jsonpb AllowUnknownFields), unknown fields
 * are dropped instead of failing; `discarded` lists their paths. Type errors still fail.
 */
export function protojsonUnmarshalWith(schema: ProtoSchema, messageType: string, text: string, options: { discardUnknown?: boolean }): { value: unknown; discarded: string[] } {
  const root = parseJson(text);
  const discarded: string[][] = [];
  const path: string[] = [];
  const err = (pos: number, msg: string): never => {
    throw new ProtoJsonError(`proto: ${where(text, pos)}: ${msg}`);
  };
  const raw = (n: Node) => (n.kind === 'object' ? '{' : n.kind === 'array' ? '[' : n.raw);
  const scalar = (type: string, n: Node): void => {
    const bad = () => err(n.pos, `invalid value for ${type} type: ${raw(n)}`);
    if (type === 'string') return void (n.kind === 'string' || bad());
    if (type === 'bool') return void (n.kind === 'bool' || bad());
    if (type === 'bytes') return void ((n.kind === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(n.value)) || bad());
    if (INT32.test(type) || INT64.test(type)) {
      const v = n.kind === 'number' ? n.value : n.kind === 'string' && n.value.trim() === n.value && n.value !== '' ? Number(n.value) : NaN;
      if (!Number.isInteger(v) || (type.startsWith('u') && v < 0) || (INT32.test(type) && Math.abs(v) > 2 ** 32)) bad();
      return;
    }
    if (type === 'double' || type === 'float') {
      if (n.kind === 'number') return;
      if (n.kind === 'string' && (['NaN', 'Infinity', '-Infinity'].includes(n.value) || (n.value.trim() !== '' && Number.isFinite(Number(n.value))))) return;
      bad();
    }
  };
  const wkt = (type: string, n: Node): boolean => {
    switch (type) {
      case '.google.protobuf.Value':
        return true;
      case '.google.protobuf.Struct':
        if (n.kind !== 'object') err(n.pos, `unexpected token ${raw(n)}`);
        return true;
      case '.google.protobuf.ListValue':
        if (n.kind !== 'array') err(n.pos, `unexpected token ${raw(n)}`);
        return true;
      case '.google.protobuf.Duration':
        if (n.kind !== 'string' || !/^-?\d+(\.\d{1,9})?s$/.test(n.value)) err(n.pos, `invalid google.protobuf.Duration value ${raw(n)}`);
        return true;
      case '.google.protobuf.Timestamp':
        if (n.kind !== 'string' || Number.isNaN(Date.parse(n.value))) err(n.pos, `invalid google.protobuf.Timestamp value ${raw(n)}`);
        return true;
      case '.google.rpc.Status':
      case '.google.protobuf.Any':
        if (n.kind !== 'object') err(n.pos, `unexpected token ${raw(n)}`);
        return true;
      default:
        return false;
    }
  };
  const single = (type: string, n: Node): void => {
    if (wkt(type, n)) return;
    if (n.kind === 'null') return;
    const enumValues = schema.enums[type];
    if (enumValues) {
      if (n.kind === 'string' && enumValues.includes(n.value)) return;
      if (n.kind === 'number' && Number.isInteger(n.value)) return;
      return void err(n.pos, `invalid value for enum type: ${raw(n)}`);
    }
    if (schema.messages[type]) return message(type, n);
    scalar(type, n);
  };
  const message = (type: string, n: Node): void => {
    if (wkt(type, n)) return;
    if (n.kind !== 'object') return void err(n.pos, `unexpected token ${raw(n)}`);
    const fields = schema.messages[type];
    const seen = new Set<string>();
    const oneofs = new Map<string, string>();
    for (const { key, keyPos, value } of n.entries) {
      const f = fields.find((x) => x.json === key || x.name === key);
      if (!f && options.discardUnknown) {
        discarded.push([...path, key]);
        continue;
      }
      if (!f) err(keyPos, `unknown field ${JSON.stringify(key)}`);
      const field = f!;
      if (seen.has(field.name)) err(keyPos, `duplicate field ${JSON.stringify(key)}`);
      seen.add(field.name);
      if (field.oneof && value.kind !== 'null') {
        if (oneofs.has(field.oneof)) err(keyPos, `error parsing ${JSON.stringify(key)}, oneof ${type.slice(1)}.${field.oneof} is already set`);
        oneofs.set(field.oneof, field.name);
      }
      if (value.kind === 'null' && field.type !== '.google.protobuf.Value') continue;
      path.push(key);
      if (field.map) {
        if (value.kind !== 'object') err(value.pos, `unexpected token ${raw(value)}`);
        for (const e of (value as Extract<Node, { kind: 'object' }>).entries) {
          if (e.value.kind === 'null' && field.map[1] !== '.google.protobuf.Value') err(e.value.pos, `invalid value for ${field.map[1]} type: null`);
          path.push(e.key);
          single(field.map[1], e.value);
          path.pop();
        }
      } else if (field.repeated) {
        if (value.kind !== 'array') err(value.pos, `unexpected token ${raw(value)}`);
        (value as Extract<Node, { kind: 'array' }>).items.forEach((item, i) => {
          path.push(String(i));
          single(field.type, item);
          path.pop();
        });
      } else single(field.type, value);
      path.pop();
    }
  };
  message(messageType, root);
  const value = JSON.parse(text) as unknown;
  for (const p of discarded) {
    let at = value as Record<string, unknown>;
    for (const k of p.slice(0, -1)) at = at[k] as Record<string, unknown>;
    delete at[p[p.length - 1]];
  }
  return { value, discarded: discarded.map((p) => p.join('.')) };
}
