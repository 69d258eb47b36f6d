// Step 5 — turn the trained model into the inference-optimised form batch scoring uses (the
// reference converts to oneDAL here). Any XGBoost JSON model is accepted.
// In a local run train-model's model is handed over in process (data/memo): when the model
// file's bytes are still exactly the bytes train-model wrote, the model it serialised is
// compiled instead of parsing the file again (80 ms of a 32k-row run); the JSON writer and
// reader round-trip a model exactly (float32 values, written so they read back the same), so
// the compiled bytes are the same either way. Compiling only reads the model.
import { readAllText, type ByteSource } from '../../../core/index.ts';
import { recallWritten } from '../../../data/memo/index.ts';
import { compileModel as compileGbdt, fromXgboostJson, type GbdtModel } from '../../../gbdt/index.ts';
import { artifactInput, artifactOutput, defineComponent } from '../../../pipeline/index.ts';
import { TRAINED_MODEL_TAG } from './trainModel.ts';

/** Called on a model taken from the memo with its compiled bytes and those of the parsed file (tests compare them). */
export type CompileMemoAudit = (label: string, fromMemo: Uint8Array, parsed: Uint8Array) => void;
let audit: CompileMemoAudit | undefined;

/** Installs (or with undefined removes) the audit of memo hits; for tests only. */
export function setCompileMemoAudit(fn: CompileMemoAudit | undefined): void {
  audit = fn;
}

const MAX_MODEL_BYTES = 1024 ** 3;

const parseModelFile = async (source: ByteSource): Promise<GbdtModel> => fromXgboostJson(await readAllText(source, MAX_MODEL_BYTES), source.label);

export const compileModel = defineComponent({
  name: 'compile-model',
  description: 'Compiles an XGBoost JSON model into a flat, inference-optimised model',
  inputs: { model: artifactInput('system.Model') },
  outputs: { compiled_model: artifactOutput('system.Model', { extension: '.sealedgbm' }) },
  run: async (ctx) => {
    const written = await recallWritten(ctx.inputs.model);
    const remembered = written?.kind === 'object' && written.tag === TRAINED_MODEL_TAG ? (written.value as GbdtModel) : undefined;
    const model = remembered ?? (await parseModelFile(ctx.inputs.model));
    const compiled = compileGbdt(model);
    const bytes = compiled.serialize();
    if (remembered && audit) audit(ctx.inputs.model.label, bytes, compileGbdt(await parseModelFile(ctx.inputs.model)).serialize());
    await ctx.outputs.compiled_model.write([bytes]);
    ctx.log(`compiled ${model.trees.length} trees, ${compiled.numNodes} nodes, ${bytes.length} bytes`);
    ctx.outputs.compiled_model.setMetadata({ format: compiled.format, version: compiled.version, trees: model.trees.length, nodes: compiled.numNodes });
  },
});
