// Where the program's deploy configuration comes from: the stack config key sealed:configFile (a
// path; what `sealed deploy up` passes) or sealed:config (the configuration as structured stack
// config). Either way it goes through src/deploy/config's schema, so a bad value stops the program
// before it registers a single resource.
import { isAbsolute, resolve } from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import { UsageError } from '../../src/core/errors.ts';
import {
  loadDeployConfig,
  parseDeployConfig,
  PULUMI_CONFIG_FILE_KEY,
  PULUMI_CONFIG_NAMESPACE,
  PULUMI_CONFIG_OBJECT_KEY,
  type LoadedDeployConfig,
} from '../../src/deploy/config/index.ts';

const FILE_KEY = `${PULUMI_CONFIG_NAMESPACE}:${PULUMI_CONFIG_FILE_KEY}`;
const OBJECT_KEY = `${PULUMI_CONFIG_NAMESPACE}:${PULUMI_CONFIG_OBJECT_KEY}`;

/** The checked deploy configuration named by the stack's config; a relative path is taken from `baseDir` (the project folder). */
export async function readProgramConfig(config: pulumi.Config, baseDir: string): Promise<LoadedDeployConfig> {
  const file = config.get(PULUMI_CONFIG_FILE_KEY);
  let object: unknown;
  try {
    object = config.getObject<unknown>(PULUMI_CONFIG_OBJECT_KEY);
  } catch {
    throw new UsageError('deploy.config.pulumiSource', { reason: `${OBJECT_KEY} is not a JSON object` });
  }
  if (file !== undefined && object !== undefined) {
    throw new UsageError('deploy.config.pulumiSource', { reason: `both ${FILE_KEY} and ${OBJECT_KEY} are set; keep one` });
  }
  if (file !== undefined) {
    if (file.trim() === '') throw new UsageError('deploy.config.pulumiSource', { reason: `${FILE_KEY} is empty` });
    return loadDeployConfig(isAbsolute(file) ? file : resolve(baseDir, file));
  }
  if (object !== undefined) return parseDeployConfig(object, `Pulumi config ${OBJECT_KEY}`);
  throw new UsageError('deploy.config.pulumiSource', {
    reason: `set ${FILE_KEY} (pulumi up --config ${FILE_KEY}=/path/to/sealed-deploy.yaml) or ${OBJECT_KEY}`,
  });
}
