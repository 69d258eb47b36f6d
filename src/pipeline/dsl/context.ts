// What a component's `run` receives. An input artifact is a ByteSource and an output a ByteSink:
// read and write through them (`readCsvFile(ctx.inputs.x)`, `ctx.outputs.y.write(chunks)`), and
// the same component runs plain or sealed (src/seal: encrypted on write, decrypted and checked on
// read). `path` is the stored file: on KFP the launcher's /minio, /s3 or /gcs mounts, locally a
// file in the run directory (outputs are staged and moved into place only if `run` succeeds).
// In a sealed run the file holds ciphertext; writing it directly is refused.
import type { ByteSink, ByteSource } from '../../core/index.ts';
import type { SourcePolicy } from '../../data/source/sourcePolicy.ts';
import type { ArtifactTypeName, JsonValue } from '../ir/index.ts';
import type { ArtifactInputSpecs, ArtifactOutputSpecs } from './artifacts.ts';
import type { ArtifactMetadata } from './metadata.ts';
import type { ParamSpecs, ParamValues } from './params.ts';

export interface InputArtifact extends ByteSource {
  readonly name: string;
  readonly type: ArtifactTypeName;
  readonly uri: string;
  /** The stored file (a file, or a folder if the producer wrote one); ciphertext in a sealed run: read through open(). */
  readonly path: string;
  readonly metadata: ArtifactMetadata;
}

export interface OutputArtifact extends ByteSink {
  readonly name: string;
  readonly type: ArtifactTypeName;
  readonly uri: string;
  /** Where the stored file goes; its folder exists. Prefer write(); plain runs only may write here directly (a file or a folder). */
  readonly path: string;
  /** Merges keys into the artifact's metadata (JSON only; no null, NaN or Infinity). */
  setMetadata(metadata: Record<string, JsonValue>): void;
  readonly metadata: ArtifactMetadata;
}

export interface ScratchFile extends ByteSource, ByteSink {
  /** The stored file, for tools that need a path (ciphertext in a sealed run). */
  readonly path: string;
  remove(): Promise<void>;
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
  /**
   * True when the run's later tasks execute in this same process (the local runner), so a step
   * may start work that only a later step uses (e.g. a plot drawn while the step writes its
   * files). False in a KFP pod or `sealed component`, where that work would be thrown away.
   */
  readonly sharedProcess: boolean;
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
  /**
   * A private scratch file for the step (e.g. a download before it is parsed), stored like the
   * run's artifacts (sealed in a sealed run) beside the outputs and removed with remove().
   */
  scratch(name: string): ScratchFile;
  /** Aborted when the run is cancelled; long loops should check it. */
  readonly signal: AbortSignal;
  /** A line for the task's log (log.txt locally, the pod log on KFP). */
  log(text: string): void;
  /** Progress of a long step, e.g. `{ current: round, total: 500, label: 'round' }`. */
  progress(update: ProgressUpdate): void;
}
