// Placeholder until the CLI lands; replaced by the pipeline/cli work.
export async function main(_argv: string[]): Promise<number> {
  console.error('sealed: not built yet');
  return 1;
}
