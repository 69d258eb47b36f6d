// Peak resident memory of the current process.
import { readFileSync } from 'node:fs';

/** Peak RSS in bytes: VmHWM from /proc/self/status, else process.resourceUsage().maxRSS. */
export function peakRssBytes(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

export const MiB = 1024 * 1024;
