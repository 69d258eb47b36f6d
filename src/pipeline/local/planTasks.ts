// Reads the IR's DAG into the runner's plan: for each task, the registered component that its
// executor calls (taken from the executor's `--component <name>` argument, exactly what the
// KFP container would run) and its dependencies, in dependency order.
import { PipelineError } from '../../core/index.ts';
import type { PipelineSpec, PipelineTaskSpec } from '../ir/index.ts';
import type { AnyComponent } from '../dsl/index.ts';
import type { ComponentRegistry } from '../executor/index.ts';
import { topologicalOrder } from '../graph/topologicalOrder.ts';

export interface PlannedTask {
  name: string;
  spec: PipelineTaskSpec;
  component: AnyComponent;
  dependencies: string[];
}

export function planTasks(spec: PipelineSpec, registry: ComponentRegistry): PlannedTask[] {
  if (spec?.schemaVersion !== '2.1.0') throw bad(`schemaVersion must be '2.1.0', got ${JSON.stringify(spec?.schemaVersion)}`);
  const tasks = spec.root?.dag?.tasks;
  if (!tasks || typeof tasks !== 'object') throw bad('root.dag.tasks is missing');
  const planned = Object.entries(tasks).map(([name, task]): PlannedTask => {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw bad(`task name '${name}' is not lowercase kebab-case`);
    const componentSpec = spec.components?.[task.componentRef?.name];
    if (!componentSpec) throw bad(`task '${name}' refers to unknown component '${task.componentRef?.name}'`);
    const executor = spec.deploymentSpec?.executors?.[componentSpec.executorLabel];
    // Importers fetch from an object store on Kubeflow; locally a run input artifact does their job.
    if (executor?.importer) throw bad(`task '${name}' is a Kubeflow importer (${componentSpec.executorLabel}); locally, give the artifact as a run input instead`);
    const container = executor?.container;
    if (!container) throw bad(`component '${task.componentRef.name}' refers to unknown executor '${componentSpec.executorLabel}'`);
    const args = container.args ?? [];
    const at = args.indexOf('--component');
    if (at < 0 || at + 1 >= args.length) throw bad(`executor '${componentSpec.executorLabel}' has no '--component <name>' argument`);
    const dependencies = [...(task.dependentTasks ?? [])];
    for (const d of dependencies) if (!Object.hasOwn(tasks, d)) throw bad(`task '${name}' depends on unknown task '${d}'`);
    return { name, spec: task, component: registry.get(args[at + 1]), dependencies };
  });
  return topologicalOrder(planned, (t) => t.dependencies);
}

function bad(reason: string): PipelineError {
  return new PipelineError('pipeline.badSpec', { reason });
}
