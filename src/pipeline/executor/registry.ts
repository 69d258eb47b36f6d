// Name -> component lookup used by the executor entry point, the local runner and
// `sealed component`.
import { PipelineError, UsageError } from '../../core/index.ts';
import type { AnyComponent, PipelineDefinition } from '../dsl/index.ts';

export class ComponentRegistry {
  readonly #components = new Map<string, AnyComponent>();

  constructor(components: Iterable<AnyComponent> | Readonly<Record<string, AnyComponent>> = []) {
    const list = Symbol.iterator in components ? components : Object.values(components);
    for (const c of list as Iterable<AnyComponent>) this.register(c);
  }

  /** Every component used by a pipeline's tasks. */
  static fromPipeline(def: PipelineDefinition): ComponentRegistry {
    return new ComponentRegistry(new Set(def.tasks.map((t) => t.component)));
  }

  register(component: AnyComponent): this {
    const existing = this.#components.get(component.name);
    if (existing && existing !== component) throw new PipelineError('pipeline.duplicateComponent', { name: component.name });
    this.#components.set(component.name, component);
    return this;
  }

  has(name: string): boolean {
    return this.#components.has(name);
  }

  /** Throws a UsageError listing the known names when `name` is unknown. */
  get(name: string): AnyComponent {
    const c = this.#components.get(name);
    if (!c) throw new UsageError('pipeline.unknownComponent', { name, known: this.names() });
    return c;
  }

  names(): string[] {
    return [...this.#components.keys()].sort();
  }
}
