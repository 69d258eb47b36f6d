// The API server's upload parse (backend/src/apiserver/template/template.go@<tag> New/inferTemplateFormat/
// isPipelineSpec and v2_template.go@<tag> NewV2SpecTemplate, identical in shape from 2.0.5 to HEAD), against the
// pipeline_spec.proto that version was built with (versions.ts):
//  - each YAML document is decoded to a map, re-marshalled with Go's encoding/json (sorted keys, compact) and parsed
//    with strict protojson. A PipelineSpec document with one unknown field is NOT recognised as a pipeline spec
//    (isPipelineSpec swallows the protojson error), so the upload fails with "unknown template format"
//    (ErrorInvalidPipelineSpec "pipeline spec is invalid"); we keep the swallowed protojson error as `protoError`.
//  - a second document is kept only if it parses as a PlatformSpec with a `kubernetes` platform
//    (IsPlatformSpecWithKubernetesConfig); its executors are google.protobuf.Struct there, so the fields inside an
//    executor config are NOT checked at upload: the driver checks them (driver.ts, kubernetesConfigFor).
//  - deploymentSpec is a google.protobuf.Struct in PipelineSpec: the argo compiler turns it into a
//    PipelineDeploymentConfig at run creation with unknown fields DISCARDED (backend/src/v2/compiler/visitor.go@2.0.5,
//    @2.3.0, @2.5.0 GetDeploymentConfig: jsonpb.Unmarshaler{AllowUnknownFields: true}; @HEAD protojson
//    DiscardUnknown: true). So e.g. `resourceCpuLimit` on 2.0.5/2.3 is silently dropped, not refused:
//    `discardedFields` lists what that version drops, and the pod never sees it (podSpec.ts).
//  - schemaVersion must be 2.1.0, pipelineInfo.name non-empty, root present.
// Run creation: validatePipelineJobInputs (v2_template.go) and the root defaults the argo compiler copies into the
// runtime config (backend/src/v2/compiler/argocompiler/argo.go@2.0.5 Compile: `if !ok && param.GetDefaultValue() != nil`).
import { parseAllDocuments } from 'yaml';
import { goJsonMarshal, ProtoJsonError, protojsonUnmarshal, protojsonUnmarshalWith } from './protojson.ts';
import { PROFILES, type KfpVersion } from './versions.ts';

type Json = Record<string, unknown>;

export class KfpApiError extends Error {
  /** The protojson error the server swallowed while inferring the template format, when there was one. */
  readonly protoError: string | undefined;
  constructor(message: string, protoError?: string) {
    super(message);
    this.protoError = protoError;
  }
}

export interface UploadedPipeline {
  version: KfpVersion;
  spec: PipelineSpecJson;
  /** deploymentSpec fields that version's PipelineDeploymentConfig does not have, dropped at run creation. */
  discardedFields: string[];
  /** platforms.kubernetes.deploymentSpec.executors (google.protobuf.Struct per executor label), when given. */
  kubernetesExecutors: Record<string, Json>;
}

export interface PipelineSpecJson {
  pipelineInfo: { name: string };
  root: ComponentJson & { dag: { tasks: Record<string, TaskJson> } };
  components: Record<string, ComponentJson>;
  deploymentSpec: { executors: Record<string, ExecutorJson> };
}
export interface ParameterSpecJson { parameterType: string; defaultValue?: unknown; isOptional?: boolean; literals?: unknown[] }
export interface ArtifactSpecJson { artifactType: Json; isOptional?: boolean; metadata?: Json }
export interface ComponentJson {
  executorLabel?: string;
  inputDefinitions?: { parameters?: Record<string, ParameterSpecJson>; artifacts?: Record<string, ArtifactSpecJson> };
  outputDefinitions?: { parameters?: Record<string, ParameterSpecJson>; artifacts?: Record<string, ArtifactSpecJson> };
}
export interface TaskJson {
  taskInfo: { name: string };
  componentRef: { name: string };
  dependentTasks?: string[];
  retryPolicy?: { maxRetryCount?: number; backoffDuration?: string; backoffFactor?: number; backoffMaxDuration?: string };
  cachingOptions?: { enableCache?: boolean };
  inputs?: {
    parameters?: Record<string, { componentInputParameter?: string; runtimeValue?: { constant?: unknown }; taskOutputParameter?: { producerTask: string; outputParameterKey: string } }>;
    artifacts?: Record<string, { componentInputArtifact?: string; taskOutputArtifact?: { producerTask: string; outputArtifactKey: string } }>;
  };
}
export interface ContainerJson {
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  resources?: {
    cpuLimit?: number; memoryLimit?: number; cpuRequest?: number; memoryRequest?: number;
    resourceCpuLimit?: string; resourceMemoryLimit?: string; resourceCpuRequest?: string; resourceMemoryRequest?: string;
    accelerator?: { type?: string; count?: number | string; resourceType?: string; resourceCount?: string };
  };
}
export interface ImporterJson {
  artifactUri: { constant?: unknown; runtimeParameter?: string };
  typeSchema: Json;
  metadata?: Json;
  reimport?: boolean;
}
export interface ExecutorJson { container?: ContainerJson; importer?: ImporterJson }

const invalid = (details: string, protoError?: string) => new KfpApiError(`InvalidInputError: ${details}: pipeline spec is invalid`, protoError);

export function uploadPipeline(yamlText: string, version: KfpVersion): UploadedPipeline {
  const profile = PROFILES[version];
  const docs = parseAllDocuments(yamlText).map((d) => d.toJS() as unknown).filter((v): v is Json => v !== null && typeof v === 'object');
  // template.go inferTemplateFormat -> isV2Spec -> isPipelineSpec (per document)
  let spec: PipelineSpecJson | undefined;
  let firstProtoError: string | undefined;
  const kubernetesExecutors: Record<string, Json> = {};
  let platformSeen = false;
  for (const doc of docs) {
    try {
      const parsed = protojsonUnmarshal(profile.api, '.ml_pipelines.PipelineSpec', goJsonMarshal(doc)) as PipelineSpecJson;
      if (parsed.pipelineInfo?.name && parsed.root) {
        if (spec) throw invalid('multiple pipeline specs provided');
        spec = parsed;
        continue;
      }
    } catch (e) {
      if (!(e instanceof ProtoJsonError)) throw e;
      firstProtoError ??= e.message;
    }
    // v2_template.go IsPlatformSpecWithKubernetesConfig: a document that does not parse is silently ignored.
    try {
      const platform = protojsonUnmarshal(profile.api, '.ml_pipelines.PlatformSpec', goJsonMarshal(doc)) as { platforms?: Record<string, { deploymentSpec?: { executors?: Record<string, Json> } }> };
      if (platform.platforms?.kubernetes) {
        if (platformSeen) throw new KfpApiError('InvalidInputError: multiple platform specs provided: Platform spec is invalid');
        platformSeen = true;
        Object.assign(kubernetesExecutors, platform.platforms.kubernetes.deploymentSpec?.executors ?? {});
      }
    } catch (e) {
      if (!(e instanceof ProtoJsonError)) throw e;
    }
  }
  if (!spec) throw new KfpApiError('InvalidInputError: unknown template format: pipeline spec is invalid', firstProtoError);
  const schemaVersion = (spec as unknown as Json).schemaVersion;
  if (schemaVersion !== '2.1.0') throw invalid(`KFP only supports schema version 2.1.0, but the pipeline spec has version ${String(schemaVersion)}`);
  const deployment = protojsonUnmarshalWith(profile.api, '.ml_pipelines.PipelineDeploymentConfig', goJsonMarshal(spec.deploymentSpec), { discardUnknown: true });
  spec.deploymentSpec = deployment.value as PipelineSpecJson['deploymentSpec'];
  return { version, spec, kubernetesExecutors, discardedFields: deployment.discarded.map((p) => `deploymentSpec.${p}`) };
}

/** v2_template.go validatePipelineJobInputs + argocompiler/argo.go root defaults: the root DAG's input parameters. */
export function runtimeParameters(uploaded: UploadedPipeline, given: Json): Json {
  const declared = uploaded.spec.root.inputDefinitions?.parameters ?? {};
  const kinds: Record<string, (v: unknown) => boolean> = {
    NUMBER_DOUBLE: (v) => typeof v === 'number',
    NUMBER_INTEGER: (v) => typeof v === 'number',
    STRING: (v) => typeof v === 'string',
    BOOLEAN: (v) => typeof v === 'boolean',
    LIST: (v) => Array.isArray(v),
    STRUCT: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  };
  for (const [name, p] of Object.entries(declared)) {
    if (!(name in given)) {
      if (!p.isOptional && p.defaultValue === undefined) throw new KfpApiError(`InvalidInputError: parameter ${name} is not optional, yet has neither default value nor user provided value`);
    } else if (!kinds[p.parameterType]?.(given[name])) {
      throw new KfpApiError(`InvalidInputError: input parameter ${name} requires type ${p.parameterType}, but the parameter value is not of that value type`);
    }
  }
  const out: Json = { ...given };
  for (const [name, p] of Object.entries(declared)) if (!(name in out) && p.defaultValue !== undefined) out[name] = p.defaultValue;
  return out;
}
