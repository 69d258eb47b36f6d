// What a component's `run` receives. Paths are local files: on KFP they are the launcher's
// /minio, /s3 or /gcs mounts, locally they are files in the run directory (outputs are
// staged and moved into place only if `run` succeeds).
import type { SourcePolicy } from '../../data/source/sourcePolicy.ts';
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import type { ArtifactInputSpecs, ArtifactOutputSpecs } from './artifacts.ts';
import type { ArtifactMetadata } from './metadata.ts';
import type { ParamSpecs, ParamValues } from './params.ts';

export interface InputArtifact {
  readonly name: string;
  readonly type: ArtifactTypeName;
  readonly uri: string;
  /** Local path to read (a file, or a folder if the producer wrote one). */
  readonly path: string;
  readonly metadata: ArtifactMetadata;
}

export interface OutputArtifact {
  readonly name: string;
  readonly type: ArtifactTypeName;
  readonly uri: string;
  /** Local path to write; its folder exists. Write a file (or a folder) here. */
  readonly path: string;
  /** Merges keys into the artifact's metadata (JSON only; no null, NaN or Infinity). */
  setMetadata(metadata: Record<string, JsonValue>): void;
  readonly metadata: ArtifactMetadata;
}

export interface ProgressUpdate {
  current: number;
  total: number;
  /** What is counted, e.g. 'round'. */
  label?: string;
}

/**
 * What the process running the component allows it, set by whoever runs it (the CLI, the KFP
 * executor, the dashboard through SEALED_DATA_POLICY) and never by pipeline parameters, which are
 * user input.
 */
export interface ComponentRuntime {
  /** Where data sources (e.g. load-data's data_url) may be read from. */
  readonly dataPolicy: SourcePolicy;
}

type InputArtifacts<I extends ArtifactInputSpecs> = {
  readonly [K in keyof I]: I[K]['optional'] extends true ? InputArtifact | undefined : InputArtifact;
};

export interface RunContext<I extends ArtifactInputSpecs, P extends ParamSpecs, O extends ArtifactOutputSpecs> {
  readonly component: string;
  /** Validated values, defaults applied. */
  readonly parameters: ParamValues<P>;
  readonly inputs: InputArtifacts<I>;
  readonly outputs: { readonly [K in keyof O]: OutputArtifact };
  /** The runtime's rules (data-source policy); not user input. */
  readonly runtime: ComponentRuntime;
  /** Aborted when the run is cancelled; long loops should check it. */
  readonly signal: AbortSignal;
  /** A line for the task's log (log.txt locally, the pod log on KFP). */
  log(text: string): void;
  /** Progress of a long step, e.g. `{ current: round, total: 500, label: 'round' }`. */
  progress(update: ProgressUpdate): void;
}
