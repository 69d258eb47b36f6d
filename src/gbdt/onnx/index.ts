export { toOnnx } from './onnxExport.ts';
