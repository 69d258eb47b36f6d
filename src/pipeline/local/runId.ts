// Run ids sort by creation time and do not collide: UTC `YYYYMMDD-HHMMSS-` + 6 hex digits.
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date = new Date(), suffix: string = randomBytes(3).toString('hex')): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const date = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${date}-${time}-${suffix}`;
}
