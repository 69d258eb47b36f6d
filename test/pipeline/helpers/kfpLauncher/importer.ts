// An importer task (deploymentSpec executor with `importer`): no container runs; the importer launcher
// (backend/src/v2/component/importer_launcher.go@<tag> ImportSpecToMLMDArtifact) records one artifact whose URI is the
// constant or the runtime parameter's value (task inputs.parameters[runtimeParameter] -> componentInputParameter of
// the parent DAG: "error resolving artifact URI: parent DAG does not have input parameter X"; empty -> "empty artifact
// URI runtime value for parameter X"), with the importer's metadata as custom properties, under the component's single
// output artifact name (getOutPutArtifactName). From 2.3.0 the URI needs a provider scheme (objectstore
// ParseProviderFromPath: "no provider scheme found in artifact URI: X") and store_session_info {"fromEnv":"true"} is added.
import type { DriverContext } from './driver.ts';
import type { MlmdArtifact } from './mlmd.ts';
import type { ImporterJson, UploadedPipeline } from './upload.ts';
import { PROFILES } from './versions.ts';

export class KfpImporterError extends Error {}

export function runImporter(uploaded: UploadedPipeline, taskName: string, importer: ImporterJson, ctx: DriverContext): Record<string, MlmdArtifact> {
  const profile = PROFILES[uploaded.version];
  const task = uploaded.spec.root.dag.tasks[taskName];
  const component = uploaded.spec.components[task.componentRef.name];
  const fail = (msg: string): never => {
    throw new KfpImporterError(`failed to create MLMD artifact from ImporterSpec: ${msg}`);
  };
  let uri = '';
  if (importer.artifactUri.constant !== undefined) {
    uri = typeof importer.artifactUri.constant === 'string' ? importer.artifactUri.constant : '';
    if (!uri) fail('empty Artifact URI constant value');
  } else if (importer.artifactUri.runtimeParameter) {
    const param = importer.artifactUri.runtimeParameter;
    const binding = task.inputs?.parameters?.[param];
    if (!binding) fail(`cannot find parameter ${param} in task input to fetch artifact uri`);
    const name = binding!.componentInputParameter ?? '';
    if (!(name in ctx.rootParameters)) fail(`error resolving artifact URI: parent DAG does not have input parameter ${name}`);
    const v = ctx.rootParameters[name];
    uri = typeof v === 'string' ? v : '';
    if (!uri) fail(`empty artifact URI runtime value for parameter ${param}`);
  } else fail('artifact uri not provided');
  const scheme = /^([a-z0-9]+):\/\//.exec(uri)?.[1];
  if (profile.storeSessionInfo && !scheme) fail(`no provider scheme found in artifact URI: ${uri}`);
  const names = Object.keys(component.outputDefinitions?.artifacts ?? {});
  if (names.length !== 1) fail('failed to extract output artifact name from componentOutputSpec');
  const metadata = { ...(importer.metadata ?? {}) };
  const artifact = ctx.mlmd.record(taskName, names[0], { uri, type: importer.typeSchema, metadata }, profile.storeSessionInfo ? `{"Provider":"${scheme}","Params":{"fromEnv":"true"}}` : undefined);
  return { [names[0]]: artifact };
}
