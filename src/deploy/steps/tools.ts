// The first step of every deploy: az, pulumi and kubectl are installed and new enough, checked
// from their own version commands before anything else runs (a missing tool is one line, not a
// half-made cluster). Output formats followed:
// - `az version -o json`: {"azure-cli": "2.67.0", "azure-cli-core": ..., "extensions": {...}}
//   (https://learn.microsoft.com/cli/azure/reference-index#az-version);
// - `pulumi version`: one line `v3.150.0` (https://www.pulumi.com/docs/iac/cli/commands/pulumi_version/);
// - `kubectl version --client -o json`: {"clientVersion": {"gitVersion": "v1.31.0", ...}, "kustomizeVersion": "v5.4.2"}
//   (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_version/).
import { UsageError } from '../../core/index.ts';
import type { StepCommand, StepContext } from './types.ts';

export interface ToolSpec {
  tool: string;
  command: StepCommand & { argv: readonly string[] };
  /** Version from the command's stdout, as [major, minor, patch]. */
  parse(stdout: string): number[] | undefined;
  min: readonly number[];
  install: string;
}

const semver = (text: string | undefined): number[] | undefined => {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text?.trim() ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
};
const json = (text: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

export const TOOLS: readonly ToolSpec[] = [
  {
    tool: 'az',
    command: { argv: ['az', 'version', '--output', 'json'], timeoutMs: 60_000 },
    parse: (out) => semver(String(json(out)?.['azure-cli'] ?? '')),
    // `az acr build --file` and `az aks get-credentials --file` are old; 2.50 (mid 2023) is a safe floor.
    min: [2, 50, 0],
    install: 'https://learn.microsoft.com/cli/azure/install-azure-cli',
  },
  {
    tool: 'pulumi',
    command: { argv: ['pulumi', 'version'], timeoutMs: 60_000 },
    parse: (out) => semver(out),
    // The program pins @pulumi/pulumi 3.248; the CLI must be a 3.x able to run it.
    min: [3, 100, 0],
    install: 'https://www.pulumi.com/docs/iac/download-install/',
  },
  {
    tool: 'kubectl',
    command: { argv: ['kubectl', 'version', '--client', '--output', 'json'], timeoutMs: 60_000 },
    parse: (out) => {
      const client = json(out)?.['clientVersion'] as { gitVersion?: unknown } | undefined;
      return semver(typeof client?.gitVersion === 'string' ? client.gitVersion : undefined);
    },
    // kustomize v5 is built in from kubectl 1.27; server-side apply is GA since 1.22.
    min: [1, 27, 0],
    install: 'https://kubernetes.io/docs/tasks/tools/',
  },
];

/** Runs every version command; the first missing or old tool is an error naming it. Returns tool -> version. */
export async function checkTools(ctx: StepContext, tools: readonly ToolSpec[] = TOOLS): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const t of tools) {
    const r = await ctx.probe(t.command);
    if (r.code === 127 || (r.code !== 0 && r.stderr.includes('command not found'))) throw new UsageError('deploy.missingTool', { tool: t.tool, install: t.install });
    const version = r.code === 0 ? t.parse(r.stdout) : undefined;
    if (!version) throw new UsageError('deploy.toolVersion', { tool: t.tool, reason: r.code === 0 ? 'its version could not be read' : `'${t.command.argv.join(' ')}' exited with ${r.code}` });
    if (compare(version, t.min) < 0) throw new UsageError('deploy.oldTool', { tool: t.tool, found: version.join('.'), min: t.min.join('.'), install: t.install });
    found[t.tool] = version.join('.');
  }
  return found;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
