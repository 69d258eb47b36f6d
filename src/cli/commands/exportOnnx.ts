// `sealed export-onnx`: an XGBoost JSON or UBJSON model (ours or Python XGBoost's) as an ONNX
// model with one ai.onnx.ml tree-ensemble node (gbdt/onnx), written atomically.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/index.ts';
import { parseModel, toOnnx } from '../../gbdt/index.ts';
import type { CliIo } from '../io.ts';
import { readBytes } from './gbdtFiles.ts';

export interface ExportOnnxOptions {
  model: string;
  out: string;
}

export async function exportOnnxCommand(options: ExportOnnxOptions, io: CliIo): Promise<number> {
  const model = parseModel(await readBytes({ name: options.model, path: resolve(io.cwd, options.model) }), options.model);
  const bytes = toOnnx(model);
  await writeFileAtomic(resolve(io.cwd, options.out), bytes);
  io.stderr.write(`wrote ${options.out} (${model.trees.length} trees, input "input": float [N, ${model.numFeature}])\n`);
  return 0;
}
