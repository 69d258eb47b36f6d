// The program's body: read and check the deploy configuration, then register the stack. A bad
// configuration fails here, before a single resource is registered with Pulumi.
import * as pulumi from '@pulumi/pulumi';
import { PULUMI_CONFIG_NAMESPACE } from '../../src/deploy/config/index.ts';
import { readProgramConfig } from './programConfig.ts';
import { defineStack, type DefinedStack } from './stack.ts';

/** The stack, once the configuration is read; a relative sealed:configFile is taken from `baseDir`. */
export async function main(baseDir: string = process.cwd()): Promise<DefinedStack> {
  const loaded = await readProgramConfig(new pulumi.Config(PULUMI_CONFIG_NAMESPACE), baseDir);
  for (const w of loaded.warnings) await pulumi.log.warn(`${w.field}: ${w.message}`);
  return defineStack(loaded.config);
}
