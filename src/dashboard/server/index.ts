// Public API of the dashboard server: createDashboardServer builds the fastify app (tests inject
// into it); startDashboard is what `sealed ui` runs (password, TLS, listen).
export { createDashboardServer, DEFAULT_LOGIN_FAILURE_DELAY_MS, type DashboardServerOptions } from './dashboardServer.ts';
export { startDashboard, DEFAULT_HOST, DEFAULT_PORT, type StartDashboardOptions, type RunningDashboard } from './startDashboard.ts';
export { PASSWORD_ENV, type PasswordSources } from './initialPassword.ts';
export { DEFAULT_BCRYPT_COST, DEFAULT_USER, PASSWORD_FILE, hashPassword, writePasswordFile } from './passwordFile.ts';
export { CERT_FILE, KEY_FILE, type TlsCredentials } from './selfSignedCertificate.ts';
export { DEFAULT_STATIC_DIR } from './staticApp.ts';
