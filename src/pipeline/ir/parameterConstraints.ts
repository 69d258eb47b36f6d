// A run parameter's constraints, carried inside the compiled file so `sealed submit` can refuse
// `split=foo` or `data_size=-5` before any request. KFP's ParameterSpec has `literals` (2.16+) for
// allowed values but nothing for ranges, and a strict parser refuses any field of our own; the
// one free-text field every release has is `description` (pipeline_spec.proto@758c91f76784,
// ComponentInputsSpec.ParameterSpec field 5). So the constraint is appended to it in a fixed,
// readable form the client parses back: "... [allowed: random | grouped]", "[range: >= 0, <= 100]".

export interface ParameterConstraint {
  allowed?: readonly string[];
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}

const TAG = /\s*\[(allowed|range): ([^\]]*)\]\s*$/;
const BOUND = /^(>=|>|<=|<) (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;

/** The description with the constraint appended (or as is, when there is none). */
export function describeWithConstraint(description: string | undefined, c: ParameterConstraint): string | undefined {
  const tag = constraintTag(c);
  if (!tag) return description;
  const text = description ? `${description} ${tag}` : tag;
  // A value the tag cannot carry (a "]" or " | " in an allowed value, a bound that does not print back)
  // would leave `submit` checking nothing: refuse it rather than lose the constraint quietly.
  if (!sameConstraint(constraintOf(text), c)) throw new Error(`the constraint ${tag} cannot be written so that it reads back the same`);
  return text;
}

function sameConstraint(a: ParameterConstraint | undefined, b: ParameterConstraint): boolean {
  const norm = (c: ParameterConstraint | undefined) =>
    JSON.stringify([c?.allowed?.length ? c.allowed : undefined, c?.min, c?.max, c?.exclusiveMin, c?.exclusiveMax]);
  return norm(a) === norm(b);
}

function constraintTag(c: ParameterConstraint): string | undefined {
  if (c.allowed && c.allowed.length > 0) return `[allowed: ${c.allowed.join(' | ')}]`;
  const bounds = [
    c.exclusiveMin !== undefined ? `> ${c.exclusiveMin}` : c.min !== undefined ? `>= ${c.min}` : undefined,
    c.exclusiveMax !== undefined ? `< ${c.exclusiveMax}` : c.max !== undefined ? `<= ${c.max}` : undefined,
  ].filter((b) => b !== undefined);
  return bounds.length > 0 ? `[range: ${bounds.join(', ')}]` : undefined;
}

/** The constraint a description carries, if any; a malformed tag counts as none. */
export function constraintOf(description: string | undefined): ParameterConstraint | undefined {
  const m = description ? TAG.exec(description) : null;
  if (!m) return undefined;
  if (m[1] === 'allowed') {
    const allowed = m[2].split(' | ');
    return allowed.every((a) => a.length > 0) ? { allowed } : undefined;
  }
  const c: { -readonly [K in keyof ParameterConstraint]: ParameterConstraint[K] } = {};
  for (const part of m[2].split(', ')) {
    const b = BOUND.exec(part);
    if (!b) return undefined;
    const n = Number(b[2]);
    if (!Number.isFinite(n)) return undefined;
    if (b[1] === '>=') c.min = n;
    else if (b[1] === '>') c.exclusiveMin = n;
    else if (b[1] === '<=') c.max = n;
    else c.exclusiveMax = n;
  }
  return c;
}

/** Why `value` breaks the constraint, or undefined when it holds. */
export function constraintProblem(value: unknown, c: ParameterConstraint): string | undefined {
  if (c.allowed && !c.allowed.includes(String(value))) return `must be one of ${c.allowed.join(', ')}`;
  if (typeof value !== 'number') return undefined;
  if (c.min !== undefined && !(value >= c.min)) return `must be >= ${c.min}`;
  if (c.max !== undefined && !(value <= c.max)) return `must be <= ${c.max}`;
  if (c.exclusiveMin !== undefined && !(value > c.exclusiveMin)) return `must be > ${c.exclusiveMin}`;
  if (c.exclusiveMax !== undefined && !(value < c.exclusiveMax)) return `must be < ${c.exclusiveMax}`;
  return undefined;
}
