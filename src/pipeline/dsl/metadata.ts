// Artifact metadata must survive KFP's protobuf Struct: JSON only, no null, no NaN/Infinity
// (see kfp-contract §3). Checked when a component sets it, so the failure points at the key.
import type { JsonValue } from '../ir/index.ts';

/** Returns undefined when `value` is valid metadata, else a reason naming the offending path. */
export function metadataProblem(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `has a non-finite number at '${path}' (${value})`;
  if (value === null || value === undefined) return `has ${String(value)} at '${path}'`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = metadataProblem(value[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      const p = metadataProblem(v, path ? `${path}.${k}` : k);
      if (p) return p;
    }
    return undefined;
  }
  return `has a non-JSON value (${typeof value}) at '${path}'`;
}

export type ArtifactMetadata = Readonly<Record<string, JsonValue>>;
