// The connection options every KFP command takes, apart from the client they configure
// (kfpConnection.ts), so registering the commands loads no HTTP client.
import type { Command } from 'commander';

/** Every KFP command takes the connection options and --namespace. */
export function addConnectionOptions(command: Command): Command {
  command.option('--host <url>', 'KFP API base URL, e.g. https://kubeflow.example.com/pipeline or http://127.0.0.1:8888 (default: env KFP_HOST)');
  command.option('--namespace <ns>', 'Kubeflow profile namespace (multi-user Kubeflow; default: env KFP_NAMESPACE, else the KFP SDK context ~/.config/kfp/context.json)');
  return command
    .option('--token-file <path>', 'file holding a bearer token (default: env KFP_TOKEN)')
    .option('--cookie-file <path>', 'file holding the session cookie as name=value (default: env KFP_COOKIE)')
    .option('--ca-file <pem>', 'CA certificate(s) to trust for an https host, besides the public ones')
    .option('--insecure-skip-tls-verify', 'accept any server certificate (throw-away test clusters only)');
}

