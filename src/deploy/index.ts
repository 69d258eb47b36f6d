// Public API of the deploy layer (issue 18): configuration and the Pulumi contract (config/), the Dex
// password (password/), the Kubeflow overlay (kubeflow/) and the steps of `sealed deploy` (steps/).
// The deploy layer sits on top, like cli/dashboard/serve: it may import core, never the other way.
export * from './config/index.ts';
export * from './password/index.ts';
// kubeflow/ checks the Dex hash with password/'s parseBcryptHash (one definition of an acceptable hash).
export { renderOverlay, DEFAULT_ISSUER, type RenderOptions, type RenderResult, detectLayout, type KubeflowLayout, type KubeflowLine, kubectlKustomize, type Kustomize, validateEmail, validateDomain, validateIp, validateIssuer, validateBcryptHash } from './kubeflow/index.ts';
export * from './steps/index.ts';
export * from './cost/index.ts';
