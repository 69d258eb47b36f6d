// What the deploy commands need of the CLI's io (a subset of src/cli/io.ts CliIo, so this layer does not import the CLI).
export interface DeployIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}
