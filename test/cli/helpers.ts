import { Writable } from 'node:stream';
import { main, type MainDeps } from '../../src/cli/main.ts';
import { pipelineEntry, type PipelineCatalog } from '../../src/cli/pipelineCatalog.ts';
import { toyComponents, toyPipeline } from '../pipeline/fixtures/toyComponents.ts';

export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export const toyCatalog: PipelineCatalog = async () => pipelineEntry(toyPipeline, toyComponents);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main` in-process with captured output; a never-aborted signal keeps SIGINT untouched. */
export async function runCli(argv: string[], deps: MainDeps = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { catalog: toyCatalog, stdout, stderr, env: {}, cores: 3, signal: new AbortController().signal, ...deps });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
