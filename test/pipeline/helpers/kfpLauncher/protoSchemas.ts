// The per-commit field sets of protoFields.generated.ts, expanded into the ProtoSchema the strict
// protobuf-JSON reader (protojson.ts) walks. A field is stored as one string:
// "name [repeated] type [oneof=o] [json=j]" or "name map<k,v>"; its JSON name is protoc's
// lowerCamelCase of the name unless `json=` says otherwise.
import { PROTO_FIELD_SETS } from './protoFields.generated.ts';
import type { ProtoField, ProtoSchema } from './protojson.ts';

const lowerCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function expandField(text: string): ProtoField {
  const [name, ...rest] = text.split(' ');
  const options = Object.fromEntries(rest.filter((p) => p.includes('=')).map((p) => p.split('=') as [string, string]));
  const words = rest.filter((p) => !p.includes('='));
  const field: ProtoField = { name, json: options.json ?? lowerCamel(name), type: words.at(-1)! };
  const map = /^map<([^,]+),(.+)>$/.exec(field.type);
  if (map) Object.assign(field, { type: 'map', map: [map[1], map[2]] });
  if (words[0] === 'repeated') field.repeated = true;
  if (options.oneof) field.oneof = options.oneof;
  return field;
}

const cache = new Map<string, ProtoSchema>();

/** The schema for one source key, e.g. "api@758c91f76784". */
export function protoSchema(key: string): ProtoSchema {
  let schema = cache.get(key);
  if (!schema) {
    const set = PROTO_FIELD_SETS[key];
    if (!set) throw new Error(`no proto field set '${key}'`);
    schema = { source: set.source, messages: Object.fromEntries(Object.entries(set.messages).map(([m, fields]) => [m, fields.map(expandField)])), enums: set.enums };
    cache.set(key, schema);
  }
  return schema;
}
