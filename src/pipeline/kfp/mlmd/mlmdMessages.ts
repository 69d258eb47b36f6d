// The ML Metadata messages `sealed runs artifacts` exchanges with the metadata store, with the
// field numbers of third_party/ml-metadata/ml_metadata/proto/metadata_store.proto and
// metadata_store_service.proto in kubeflow/pipelines (the same at 2.0.5 and HEAD; proto2, so
// repeated ids are written unpacked and read either way). Only the fields used are decoded;
// the others are skipped as any protobuf reader does.
import { ProtoWriter } from '../../../gbdt/onnx/protobufWriter.ts';
import { ProtoDecodeError, ProtoReader, protoString, type ProtoField } from './protoReader.ts';

/** metadata_store.proto `Value`: only int_value = 1 and string_value = 3 are kept. */
export type MlmdValue = { int: number } | { string: string } | { other: true };

export interface MlmdContext {
  id?: number;
  name?: string;
  type?: string;
  customProperties: Map<string, MlmdValue>;
}

export interface MlmdExecution {
  id?: number;
  type?: string;
  lastKnownState?: number;
  customProperties: Map<string, MlmdValue>;
}

export interface MlmdEvent {
  artifactId?: number;
  executionId?: number;
  /** Event.Path steps: a key (string) or an index (number). */
  path: (string | number)[];
  type?: number;
}

export interface MlmdArtifact {
  id?: number;
  type?: string;
  uri?: string;
  state?: number;
  customProperties: Map<string, MlmdValue>;
}

/** metadata_store.proto Event.Type.OUTPUT. */
export const EVENT_OUTPUT = 4;

// --- requests (metadata_store_service.proto) ---------------------------------------------

/** GetContextByTypeAndNameRequest { type_name = 1; context_name = 2; } */
export function getContextByTypeAndName(typeName: string, contextName: string): Uint8Array {
  return new ProtoWriter().string(1, typeName).string(2, contextName).finish();
}

/** GetExecutionsByContextRequest { context_id = 1; } (no options: every execution). */
export function getExecutionsByContext(contextId: number): Uint8Array {
  return new ProtoWriter().int(1, contextId).finish();
}

/** GetEventsByExecutionIDsRequest { repeated int64 execution_ids = 1; } */
export function getEventsByExecutionIds(ids: readonly number[]): Uint8Array {
  const w = new ProtoWriter();
  for (const id of ids) w.int(1, id);
  return w.finish();
}

/** GetArtifactsByIDRequest { repeated int64 artifact_ids = 1; } */
export function getArtifactsById(ids: readonly number[]): Uint8Array {
  const w = new ProtoWriter();
  for (const id of ids) w.int(1, id);
  return w.finish();
}

// --- responses ---------------------------------------------------------------------------

/** GetContextByTypeAndNameResponse { optional Context context = 1; } */
export function decodeContextResponse(bytes: Uint8Array): MlmdContext | undefined {
  let context: MlmdContext | undefined;
  for (const f of new ProtoReader(bytes).fields()) if (f.field === 1) context = decodeContext(message(f));
  return context;
}

/** GetExecutionsByContextResponse { repeated Execution executions = 1; next_page_token = 2; } */
export function decodeExecutionsResponse(bytes: Uint8Array): { executions: MlmdExecution[]; nextPageToken?: string } {
  const executions: MlmdExecution[] = [];
  let nextPageToken: string | undefined;
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) executions.push(decodeExecution(message(f)));
    else if (f.field === 2) nextPageToken = protoString(message(f));
  }
  return { executions, nextPageToken: nextPageToken || undefined };
}

/** GetEventsByExecutionIDsResponse { repeated Event events = 1; } */
export function decodeEventsResponse(bytes: Uint8Array): MlmdEvent[] {
  const events: MlmdEvent[] = [];
  for (const f of new ProtoReader(bytes).fields()) if (f.field === 1) events.push(decodeEvent(message(f)));
  return events;
}

/** GetArtifactsByIDResponse { repeated Artifact artifacts = 1; } */
export function decodeArtifactsResponse(bytes: Uint8Array): MlmdArtifact[] {
  const artifacts: MlmdArtifact[] = [];
  for (const f of new ProtoReader(bytes).fields()) if (f.field === 1) artifacts.push(decodeArtifact(message(f)));
  return artifacts;
}

// Context { id = 1; type_id = 2; name = 3; custom_properties = 5; type = 6; }
function decodeContext(bytes: Uint8Array): MlmdContext {
  const c: MlmdContext = { customProperties: new Map() };
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) c.id = int(f);
    else if (f.field === 3) c.name = protoString(message(f));
    else if (f.field === 5) mapEntry(message(f), c.customProperties);
    else if (f.field === 6) c.type = protoString(message(f));
  }
  return c;
}

// Execution { id = 1; type_id = 2; last_known_state = 3; custom_properties = 5; type = 7; }
function decodeExecution(bytes: Uint8Array): MlmdExecution {
  const e: MlmdExecution = { customProperties: new Map() };
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) e.id = int(f);
    else if (f.field === 3) e.lastKnownState = int(f);
    else if (f.field === 5) mapEntry(message(f), e.customProperties);
    else if (f.field === 7) e.type = protoString(message(f));
  }
  return e;
}

// Event { artifact_id = 1; execution_id = 2; Path path = 3; Type type = 4; }
// Event.Path { repeated Step steps = 1; } Step { oneof { int64 index = 1; string key = 2; } }
function decodeEvent(bytes: Uint8Array): MlmdEvent {
  const e: MlmdEvent = { path: [] };
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) e.artifactId = int(f);
    else if (f.field === 2) e.executionId = int(f);
    else if (f.field === 4) e.type = int(f);
    else if (f.field === 3) {
      for (const step of new ProtoReader(message(f)).fields()) {
        if (step.field !== 1) continue;
        for (const s of new ProtoReader(message(step)).fields()) {
          if (s.field === 1) e.path.push(int(s));
          else if (s.field === 2) e.path.push(protoString(message(s)));
        }
      }
    }
  }
  return e;
}

// Artifact { id = 1; type_id = 2; uri = 3; custom_properties = 5; state = 6; type = 8; }
function decodeArtifact(bytes: Uint8Array): MlmdArtifact {
  const a: MlmdArtifact = { customProperties: new Map() };
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) a.id = int(f);
    else if (f.field === 3) a.uri = protoString(message(f));
    else if (f.field === 5) mapEntry(message(f), a.customProperties);
    else if (f.field === 6) a.state = int(f);
    else if (f.field === 8) a.type = protoString(message(f));
  }
  return a;
}

// map<string, Value> is a repeated entry message { key = 1; value = 2; }.
function mapEntry(bytes: Uint8Array, into: Map<string, MlmdValue>): void {
  let key = '';
  let value: MlmdValue = { other: true };
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) key = protoString(message(f));
    else if (f.field === 2) value = decodeValue(message(f));
  }
  into.set(key, value);
}

// Value { oneof { int64 int_value = 1; double double_value = 2; string string_value = 3; Struct struct_value = 4; ... } }
function decodeValue(bytes: Uint8Array): MlmdValue {
  let value: MlmdValue = { other: true };
  for (const f of new ProtoReader(bytes).fields()) {
    if (f.field === 1) value = { int: int(f) };
    else if (f.field === 3) value = { string: protoString(message(f)) };
    else value = { other: true };
  }
  return value;
}

/** A string custom property, or undefined when absent or of another kind. */
export function stringProperty(properties: Map<string, MlmdValue>, key: string): string | undefined {
  const v = properties.get(key);
  return v !== undefined && 'string' in v ? v.string : undefined;
}

function int(f: ProtoField): number {
  if (f.wire !== 0) throw new ProtoDecodeError(`field ${f.field}: expected a number`);
  return f.int;
}

function message(f: ProtoField): Uint8Array {
  if (f.wire !== 2) throw new ProtoDecodeError(`field ${f.field}: expected a length-delimited field`);
  return f.bytes;
}
