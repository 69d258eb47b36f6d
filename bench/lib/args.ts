// Command-line flags shared by benchmarks: `--runs N` and boolean/valued `--name[=value]` flags.

export interface BenchArgs {
  runs: number;
  flags: Map<string, string | true>;
  positional: string[];
}

export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2), defaultRuns = 5): BenchArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(a.slice(2), argv[++i]);
    else flags.set(a.slice(2), true);
  }
  const runsFlag = flags.get('runs');
  const runs = typeof runsFlag === 'string' ? Number.parseInt(runsFlag, 10) : defaultRuns;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${String(runsFlag)}`);
  return { runs, flags, positional };
}
