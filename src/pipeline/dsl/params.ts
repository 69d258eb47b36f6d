// Parameter builders for components and pipelines. A builder only records the type, default
// and constraints; keys are attached by defineComponent / definePipeline, which also check that
// the default satisfies the constraints. Values are checked at the component boundary
// (validateParameter) so a bad value fails before any work starts, naming component and key.
import type { ParameterType } from '../ir/index.ts';

interface ParamBase<V, T extends ParameterType> {
  readonly kind: 'parameter';
  readonly type: T;
  /** Absent: the parameter is required. */
  readonly default?: V;
  readonly description?: string;
}

export interface NumberBounds {
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}

export interface IntegerParamSpec extends ParamBase<number, 'NUMBER_INTEGER'>, Readonly<NumberBounds> {}
export interface DoubleParamSpec extends ParamBase<number, 'NUMBER_DOUBLE'>, Readonly<NumberBounds> {}
export interface StringParamSpec<V extends string = string> extends ParamBase<V, 'STRING'> {
  readonly enum?: readonly V[];
}
export type BooleanParamSpec = ParamBase<boolean, 'BOOLEAN'>;

export type ParamSpec = IntegerParamSpec | DoubleParamSpec | StringParamSpec | BooleanParamSpec;
export type ParamSpecs = Record<string, ParamSpec>;

/** The TypeScript type of a parameter's value: number, boolean, string or a union of enum literals. */
export type ParamValueOf<P> =
  P extends StringParamSpec<infer V> ? V : P extends BooleanParamSpec ? boolean : P extends { type: 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' } ? number : never;

export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

interface Described {
  description?: string;
}

function withDefault<S extends object>(spec: S, value: unknown): S {
  return value === undefined ? spec : { ...spec, default: value };
}

/** An integer parameter; `integerParam()` without a default is required. */
export function integerParam(defaultValue?: number, options: NumberBounds & Described = {}): IntegerParamSpec {
  return withDefault({ kind: 'parameter', type: 'NUMBER_INTEGER', ...options } as const, defaultValue);
}

/** A floating-point parameter, e.g. `doubleParam(0.25, { exclusiveMin: 0, exclusiveMax: 1 })`. */
export function doubleParam(defaultValue?: number, options: NumberBounds & Described = {}): DoubleParamSpec {
  return withDefault({ kind: 'parameter', type: 'NUMBER_DOUBLE', ...options } as const, defaultValue);
}

/** A string parameter; with `enum` its TypeScript type is the union of the allowed values. */
export function stringParam<const V extends string = string>(
  defaultValue?: NoInfer<V>,
  options: { enum?: readonly V[] } & Described = {},
): StringParamSpec<V> {
  return withDefault({ kind: 'parameter', type: 'STRING', ...options } as const, defaultValue) as StringParamSpec<V>;
}

export function booleanParam(defaultValue?: boolean, options: Described = {}): BooleanParamSpec {
  return withDefault({ kind: 'parameter', type: 'BOOLEAN', ...options } as const, defaultValue);
}

export function isParamSpec(value: unknown): value is ParamSpec {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'parameter';
}
