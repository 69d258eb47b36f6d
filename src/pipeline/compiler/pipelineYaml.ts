// The compiled pipeline as the file KFP takes: the PipelineSpec as the first YAML document and,
// when there is one, the Kubernetes platform config as the second. Both are checked against the
// IR schema before any text is produced, so an invalid file is never written.
import { createRequire } from 'node:module';
import type { stringify as Stringify } from 'yaml';
import { validatePipelineIr, type PipelineSpec, type PlatformSpec } from '../ir/index.ts';

export interface PipelineDocuments {
  spec: PipelineSpec;
  platform?: PlatformSpec;
}

// `yaml` (CommonJS for Node, the same instance an `import` gets) is required on first use: every
// `sealed run` loads the compiler for the IR but never writes YAML (issue 17: ~40 ms of each start).
let yamlStringify: typeof Stringify | undefined;

export function toPipelineYaml(docs: PipelineDocuments): string {
  validatePipelineIr(docs.spec, docs.platform);
  const stringify = (yamlStringify ??= (createRequire(import.meta.url)('yaml') as { stringify: typeof Stringify }).stringify);
  // No line folding and no anchors: the text maps one to one onto KFP's protobuf JSON.
  const options = { lineWidth: 0, aliasDuplicateObjects: false } as const;
  const header = `# Kubeflow Pipelines v2 pipeline '${docs.spec.pipelineInfo.name}', compiled by ${docs.spec.sdkVersion}\n`;
  return header + stringify(docs.spec, options) + (docs.platform ? `---\n${stringify(docs.platform, options)}` : '');
}
