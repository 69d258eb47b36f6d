// Step 5 — turn the trained model into the inference-optimised form batch scoring uses (the
// reference converts to oneDAL here). Any XGBoost JSON model is accepted.
import { readAllText } from '../../../core/index.ts';
import { compileModel as compileGbdt, fromXgboostJson } from '../../../gbdt/index.ts';
import { artifactInput, artifactOutput, defineComponent } from '../../../pipeline/index.ts';

export const compileModel = defineComponent({
  name: 'compile-model',
  description: 'Compiles an XGBoost JSON model into a flat, inference-optimised model',
  inputs: { model: artifactInput('system.Model') },
  outputs: { compiled_model: artifactOutput('system.Model', { extension: '.sealedgbm' }) },
  run: async (ctx) => {
    const model = fromXgboostJson(await readAllText(ctx.inputs.model, 1024 ** 3), ctx.inputs.model.label);
    const compiled = compileGbdt(model);
    const bytes = compiled.serialize();
    await ctx.outputs.compiled_model.write([bytes]);
    ctx.log(`compiled ${model.trees.length} trees, ${compiled.numNodes} nodes, ${bytes.length} bytes`);
    ctx.outputs.compiled_model.setMetadata({ format: compiled.format, version: compiled.version, trees: model.trees.length, nodes: compiled.numNodes });
  },
});
