// Runs contestants side by side, alternating their order every round (A B, B A, A B, ...), so
// drift in machine load hits all of them alike. Each run returns a sample of named metrics.

export type Sample = Record<string, number>;

export interface Contestant {
  name: string;
  run: () => Sample | Promise<Sample>;
}

export async function runAlternating(contestants: readonly Contestant[], runs: number, log: (s: string) => void = () => {}): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(contestants.map((c) => [c.name, []]));
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? contestants : [...contestants].reverse();
    for (const c of order) {
      const s = await c.run();
      samples.get(c.name)?.push(s);
      log(`  run ${r + 1}/${runs} ${c.name}: ${Object.entries(s).map(([k, v]) => `${k}=${formatNumber(v)}`).join(' ')}`);
    }
  }
  return samples;
}

export function metric(samples: readonly Sample[], key: string): number[] {
  return samples.map((s) => s[key]).filter((v) => v !== undefined);
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
