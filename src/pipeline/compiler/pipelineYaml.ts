// The compiled pipeline as the file KFP takes: the PipelineSpec as the first YAML document and,
// when there is one, the Kubernetes platform config as the second. Both are checked against the
// IR schema before any text is produced, so an invalid file is never written.
import { stringify } from 'yaml';
import { validatePipelineIr, type PipelineSpec, type PlatformSpec } from '../ir/index.ts';

export interface PipelineDocuments {
  spec: PipelineSpec;
  platform?: PlatformSpec;
}

export function toPipelineYaml(docs: PipelineDocuments): string {
  validatePipelineIr(docs.spec, docs.platform);
  // No line folding and no anchors: the text maps one to one onto KFP's protobuf JSON.
  const options = { lineWidth: 0, aliasDuplicateObjects: false } as const;
  const header = `# Kubeflow Pipelines v2 pipeline '${docs.spec.pipelineInfo.name}', compiled by ${docs.spec.sdkVersion}\n`;
  return header + stringify(docs.spec, options) + (docs.platform ? `---\n${stringify(docs.platform, options)}` : '');
}
