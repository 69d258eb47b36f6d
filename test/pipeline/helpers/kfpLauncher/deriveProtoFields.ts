// Derives protoFields.generated.ts: the message/field/enum sets of the KFP protos each backend
// version was BUILT with, read from the kubeflow/pipelines mirror with `git show <commit>:<path>`.
// Before 2.5 the backend compiled its protos from the commits pinned in backend go.mod
// (github.com/kubeflow/pipelines/api and kubernetes_platform pseudo-versions); from 2.5 on go.mod
// replaces them with the in-tree ./api and ./kubernetes_platform (go.mod@2.5.0 `replace`).
//   node --import tsx test/pipeline/helpers/kfpLauncher/deriveProtoFields.ts [/path/to/bare/repo]
// Only the declarations (names, json names, types, labels) are extracted, as data: no code is copied.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = process.argv[2] ?? '/work/.mirror/kubeflow+pipelines/repo';
const API = 'api/v2alpha1/pipeline_spec.proto';
const K8S = 'kubernetes_platform/proto/kubernetes_executor_config.proto';
// [key, commit, files]: the key names what the versions profile refers to.
const SOURCES: [string, string, string[]][] = [
  ['api@758c91f76784', '758c91f76784b31e2263a3617a3bbc8c0346baaf', [API]], // go.mod@2.0.5
  ['kubernetes_platform@bd9f74e34de6', 'bd9f74e34de60094639f04fe9db38fb09a6c1208', [K8S]], // go.mod@2.0.5
  ['api@58ce09e07d03', '58ce09e07d031964905020c749e77bf0f37e83d4', [API]], // go.mod@2.3.0
  ['kubernetes_platform@d911c8b73b49', 'd911c8b73b49cd0a4ffda132f494f31d0d48095a', [K8S]], // go.mod@2.3.0
  ['api@2.5.0', '2.5.0', [API]],
  ['kubernetes_platform@2.5.0', '2.5.0', [K8S, API]],
  ['api@HEAD', 'HEAD', [API]],
  ['kubernetes_platform@HEAD', 'HEAD', [K8S, API]],
];

interface Field { name: string; json: string; type: string; repeated?: true; map?: [string, string]; oneof?: string }

function tokenize(src: string): string[] {
  const noComments = src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  return noComments.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_][\w.]*|\.[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?|[{}[\]()<>;=,:]/g) ?? [];
}

function jsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function parse(files: string[], messages: Map<string, Field[]>, enums: Map<string, string[]>): void {
  const pending: { scope: string; field: Field }[] = [];
  for (const src of files) {
    const t = tokenize(src);
    let i = 0;
    let pkg = '';
    const skipStatement = () => {
      let depth = 0;
      for (; i < t.length; i++) {
        if (t[i] === '{' || t[i] === '[' || t[i] === '(') depth++;
        else if (t[i] === '}' || t[i] === ']' || t[i] === ')') depth--;
        else if (t[i] === ';' && depth === 0) return void i++;
        if (depth === 0 && t[i] === '}') return void i++;
      }
    };
    const skipBlock = () => {
      while (t[i] !== '{') i++;
      let depth = 0;
      for (; i < t.length; i++) {
        if (t[i] === '{') depth++;
        else if (t[i] === '}' && --depth === 0) return void i++;
      }
    };
    const parseEnum = (scope: string) => {
      const name = `${scope}.${t[i + 1]}`;
      i += 3;
      const values: string[] = [];
      while (t[i] !== '}') {
        if (t[i] === 'option' || t[i] === 'reserved') skipStatement();
        else {
          values.push(t[i]);
          skipStatement();
        }
      }
      i++;
      enums.set(name, values);
    };
    const parseField = (scope: string, oneof?: string) => {
      const field: Partial<Field> = {};
      if (t[i] === 'repeated') {
        field.repeated = true;
        i++;
      } else if (t[i] === 'optional') i++;
      if (t[i] === 'map') {
        field.map = [t[i + 2], t[i + 4]];
        field.type = 'map';
        i += 6;
      } else field.type = t[i++];
      field.name = t[i];
      field.json = jsonName(t[i]);
      if (oneof) field.oneof = oneof;
      skipStatement();
      pending.push({ scope, field: field as Field });
    };
    const parseMessage = (scope: string) => {
      const name = `${scope}.${t[i + 1]}`;
      i += 3;
      messages.set(name, []);
      while (t[i] !== '}') {
        const k = t[i];
        if (k === 'message') parseMessage(name);
        else if (k === 'enum') parseEnum(name);
        else if (k === 'oneof') {
          const group = t[i + 1];
          i += 3;
          while (t[i] !== '}') {
            if (t[i] === 'option') skipStatement();
            else parseField(name, group);
          }
          i++;
        } else if (k === 'option' || k === 'reserved' || k === 'extensions') skipStatement();
        else if (k === 'extend') skipBlock();
        else if (k === ';') i++;
        else parseField(name);
      }
      i++;
    };
    while (i < t.length) {
      const k = t[i];
      if (k === 'package') {
        pkg = '.' + t[i + 1];
        skipStatement();
      } else if (k === 'message') parseMessage(pkg);
      else if (k === 'enum') parseEnum(pkg);
      else if (k === 'service' || k === 'extend') skipBlock();
      else skipStatement();
    }
  }
  const known = (n: string) => messages.has(n) || enums.has(n);
  const resolve = (scope: string, type: string): string => {
    if (/^(double|float|int32|int64|uint32|uint64|sint32|sint64|fixed32|fixed64|sfixed32|sfixed64|bool|string|bytes)$/.test(type)) return type;
    if (type.startsWith('.')) return type;
    for (let s = scope; ; s = s.slice(0, s.lastIndexOf('.'))) {
      const candidate = `${s}.${type}`;
      if (known(candidate)) return candidate;
      if (!s) break;
    }
    return '.' + type; // google.protobuf.* / google.rpc.* well-known types
  };
  for (const { scope, field } of pending) {
    if (field.map) field.map = [field.map[0], resolve(scope, field.map[1])];
    else field.type = resolve(scope, field.type);
    messages.get(scope)!.push(field);
  }
}

// A field as one string, "name [repeated] type [oneof=o] [json=j]" or "name map<k,v>", expanded
// again by protoSchemas.ts; `json` only where it is not the usual lowerCamel of the name.
function compactField(f: Field): string {
  const type = f.map ? `map<${f.map[0]},${f.map[1]}>` : `${f.repeated ? 'repeated ' : ''}${f.type}`;
  return [f.name, type, f.oneof ? `oneof=${f.oneof}` : '', f.json !== jsonName(f.name) ? `json=${f.json}` : ''].filter(Boolean).join(' ');
}

// Only what the emulation parses: the messages reachable from these roots.
const ROOTS = ['.ml_pipelines.PipelineSpec', '.ml_pipelines.PlatformSpec', '.ml_pipelines.PipelineDeploymentConfig', '.ml_pipelines.ExecutorOutput', '.kfp_kubernetes.KubernetesExecutorConfig'];

function reachable(messages: Map<string, Field[]>, enums: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name) || (!messages.has(name) && !enums.has(name))) return;
    seen.add(name);
    for (const f of messages.get(name) ?? []) visit(f.map ? f.map[1] : f.type);
  };
  for (const r of ROOTS) visit(r);
  return seen;
}

const out: Record<string, { source: string; messages: Record<string, string[]>; enums: Record<string, string[]> }> = {};
for (const [key, commit, paths] of SOURCES) {
  const messages = new Map<string, Field[]>();
  const enums = new Map<string, string[]>();
  parse(paths.map((p) => execFileSync('git', ['-C', repo, 'show', `${commit}:${p}`], { encoding: 'utf8' })), messages, enums);
  const kept = reachable(messages, enums);
  out[key] = {
    source: `${paths.join(' + ')} @ ${commit}`,
    messages: Object.fromEntries([...messages].filter(([n]) => kept.has(n)).map(([n, fields]) => [n, fields.map(compactField)])),
    enums: Object.fromEntries([...enums].filter(([n]) => kept.has(n))),
  };
}
const header = `// GENERATED by deriveProtoFields.ts from the kubeflow/pipelines protos at the commits named in each
// entry's \`source\` (data only: message -> fields as "name [repeated] type", the messages the
// emulation parses; expanded by protoSchemas.ts). Do not edit.
export const PROTO_FIELD_SETS: Record<string, { source: string; messages: Record<string, string[]>; enums: Record<string, string[]> }> = `;
// One line per message or enum: field sets to compare, not a document to read.
const lines = (o: Record<string, unknown>, indent: string): string =>
  Object.entries(o).map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n');
const body = Object.entries(out)
  .map(([k, v]) => `  ${JSON.stringify(k)}: {\n    source: ${JSON.stringify(v.source)},\n    messages: {\n${lines(v.messages, '      ')}\n    },\n    enums: {\n${lines(v.enums, '      ')}\n    },\n  },`)
  .join('\n');
writeFileSync(join(import.meta.dirname, 'protoFields.generated.ts'), `${header}{\n${body}\n};\n`);
console.log(Object.entries(out).map(([k, v]) => `${k}: ${Object.keys(v.messages).length} messages`).join('\n'));
