// What `sealed deploy up` (src/deploy/steps) and the Pulumi program (deploy/azure) agree on: the
// project, how the program finds the deploy configuration, and the stack outputs it exports.
import { isAbsolute } from 'node:path';

/** `name` in deploy/azure/Pulumi.yaml. */
export const PULUMI_PROJECT = 'sealed-azure';
/** Config namespace of the program's keys (`pulumi config set sealed:configFile ...`). */
export const PULUMI_CONFIG_NAMESPACE = 'sealed';
/**
 * Path of the deploy configuration file (absolute, or relative to deploy/azure). The usual way:
 * `pulumi up --stack S --cwd deploy/azure --config sealed:configFile=/abs/sealed-deploy.yaml`.
 */
export const PULUMI_CONFIG_FILE_KEY = 'configFile';
/** Or the configuration itself as structured stack config (`pulumi config set --path sealed:config.location eastus`). */
export const PULUMI_CONFIG_OBJECT_KEY = 'config';

/**
 * Stack outputs (`pulumi stack output --json`). keyVaultUri and attestationUri are present only
 * when the configuration asks for a Key Vault / attestation provider.
 */
export const STACK_OUTPUTS = ['clusterName', 'resourceGroupName', 'acrLoginServer', 'keyVaultUri', 'attestationUri'] as const;
export type StackOutputName = (typeof STACK_OUTPUTS)[number];

/** AcrPull, a built-in Azure role ("Azure built-in roles", Containers: AcrPull 7f951dda-4ed3-4680-a7ca-43fe172d538d). */
export const ACR_PULL_ROLE_ID = '7f951dda-4ed3-4680-a7ca-43fe172d538d';

/**
 * The `pulumi up|preview|destroy` arguments that hand the program its configuration file. The
 * path must be absolute: Pulumi runs the program from deploy/azure, and a relative path would be
 * taken from there.
 */
export function pulumiConfigFileArgs(absolutePath: string): string[] {
  if (!isAbsolute(absolutePath)) throw new Error(`pulumiConfigFileArgs needs an absolute path, got ${absolutePath}`);
  return ['--config', `${PULUMI_CONFIG_NAMESPACE}:${PULUMI_CONFIG_FILE_KEY}=${absolutePath}`];
}
