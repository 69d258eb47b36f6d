// The Kubeflow overlay (issue 18 item 2): kustomize patches replacing the tutorial's hand edits.
export { renderOverlay, DEFAULT_ISSUER, type RenderOptions, type RenderResult } from './renderOverlay.ts';
export { detectLayout, type KubeflowLayout, type KubeflowLine } from './layout.ts';
export { kubectlKustomize, type Kustomize } from './kustomize.ts';
export { validateEmail, validateDomain, validateIp, validateIssuer, validateBcryptHash } from './validate.ts';
export { freshLoginSecrets, loginSecretsFor, CLIENT_SECRET_FILE, COOKIE_SECRET_FILE, type LoginSecrets } from './loginSecrets.ts';
