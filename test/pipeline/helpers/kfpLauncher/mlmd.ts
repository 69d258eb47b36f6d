// The slice of ML Metadata the driver and launcher use: artifacts recorded by the launcher
// (backend/src/v2/metadata/client.go@<tag> RecordArtifact + converter.go toMLMDArtifact/StructValueToMLMDValue) and read
// back for downstream tasks (converter.go toRuntimeArtifact + client.go OutputArtifact.ToRuntimeArtifact: `name` is the
// MLMD id, `type` is {"instanceSchema": <schema>} where schema is the *instance* schema, "" for schemaTitle types,
// `metadata` holds every custom property, including display_name (and store_session_info from 2.3.0)).
type Json = Record<string, unknown>;

export interface MlmdArtifact {
  id: number;
  uri: string;
  customProperties: Json;
  /** getArtifactSchema (launcher_v2.go): "title: <schemaTitle>" or the instance schema. */
  schema: string;
  instanceSchema: string;
}

export interface RuntimeArtifactJson {
  name?: string;
  type?: Json;
  uri?: string;
  metadata?: Json;
}

export class Mlmd {
  #next = 101;
  readonly outputs = new Map<string, Record<string, MlmdArtifact>>();
  readonly outputParameters = new Map<string, Json>();

  /** RecordArtifact: metadata -> custom properties (bool -> int 1/0, list -> {"list": [...]}, struct -> {"struct": {...}}, null refused). */
  record(task: string, name: string, ra: RuntimeArtifactJson, storeSessionInfo: string | undefined): MlmdArtifact {
    const customProperties: Json = {};
    for (const [k, v] of Object.entries(ra.metadata ?? {})) {
      if (k === '_kfp_workspace') continue;
      if (v === null || v === undefined) throw new Error(`unable to produce MLMD artifact for output "${name}": failed to convert RuntimeArtifact to MLMD artifact: unknown/unsupported value type *structpb.Value_NullValue`);
      customProperties[k] = typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? { list: v } : typeof v === 'object' ? { struct: v } : v;
    }
    customProperties.display_name ??= name;
    if (storeSessionInfo !== undefined) customProperties.store_session_info ??= storeSessionInfo;
    const type = ra.type ?? {};
    const schema = typeof type.schemaTitle === 'string' ? `title: ${type.schemaTitle}` : String(type.instanceSchema ?? '');
    const artifact: MlmdArtifact = { id: this.#next++, uri: ra.uri ?? '', customProperties, schema, instanceSchema: typeof type.instanceSchema === 'string' ? type.instanceSchema : '' };
    this.outputs.set(task, { ...(this.outputs.get(task) ?? {}), [name]: artifact });
    return artifact;
  }

  static toRuntimeArtifact(a: MlmdArtifact): RuntimeArtifactJson {
    return { name: String(a.id), type: { instanceSchema: a.instanceSchema }, uri: a.uri, metadata: structuredClone(a.customProperties) };
  }
}
