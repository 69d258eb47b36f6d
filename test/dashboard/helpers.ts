// Shared set-up of the dashboard tests: a server on temporary folders with a known password
// (bcrypt cost 4, for speed), a movable clock, toy-pipeline runs, and a logged-in client for
// fastify's inject (no socket). Runs started through the API run in child processes that load
// their pipeline from childCatalogs.ts.
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CHILD_CATALOGS, toyCatalog } from './childCatalogs.ts';
import { tempDir } from '../pipeline/helpers/tempDir.ts';
import { toyComponents, toyPipeline } from '../pipeline/fixtures/toyComponents.ts';
import { createDashboardServer, hashPassword, PASSWORD_FILE, writePasswordFile, type DashboardServerOptions } from '../../src/dashboard/server/index.ts';
import { ComponentRegistry, compilePipeline, runPipeline, type RunManifest } from '../../src/pipeline/index.ts';
import type { Session } from '../../src/dashboard/api/contract.ts';

export const PASSWORD = 'correct horse battery staple';
export const T0 = Date.UTC(2026, 10, 29, 8, 0, 0);

export class Clock {
  constructor(public t = T0) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestServer {
  app: FastifyInstance;
  runsDir: string;
  stateDir: string;
  clock: Clock;
  errors: unknown[];
}

/** A server on fresh folders whose admin password is `password`; `overrides` replace any option. */
export async function testServer(overrides: Partial<DashboardServerOptions> = {}, password = PASSWORD): Promise<TestServer> {
  const root = tempDir('sealed-dashboard-');
  const runsDir = join(root, 'runs');
  const stateDir = join(root, 'state');
  await writePasswordFile(join(stateDir, PASSWORD_FILE), { user: 'admin', hash: await hashPassword(password, 4) });
  const clock = new Clock();
  const errors: unknown[] = [];
  const app = await createDashboardServer({
    runsDir,
    stateDir,
    pipeline: await toyCatalog(),
    // Runs started from the dashboard execute in a child process, which loads the same catalog.
    childCatalog: { module: CHILD_CATALOGS, export: 'toyCatalog' },
    staticDir: join(root, 'no-app'),
    now: clock.now,
    loginFailureDelayMs: 0,
    onError: (e) => errors.push(e),
    ...overrides,
  });
  return { app, runsDir, stateDir, clock, errors };
}

export interface Client {
  cookie: string;
  csrf: string;
  session: Session;
}

/** The `name=value` part of the response's session cookie. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const line = (Array.isArray(header) ? header : [header ?? '']).find((c) => /sealed_session=/.test(c));
  if (!line) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
  return line.split(';')[0];
}

export async function login(app: FastifyInstance, body: Record<string, unknown> = { username: 'admin', password: PASSWORD }, cookie?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/login', payload: body, headers: cookie ? { cookie } : {} });
}

export async function loggedIn(app: FastifyInstance): Promise<Client> {
  const res = await login(app);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const session = res.json<Session>();
  return { cookie: sessionCookieOf(res), csrf: session.csrfToken, session };
}

/** GET as the client. */
export function get(app: FastifyInstance, client: Client | undefined, url: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: client ? { cookie: client.cookie } : {} });
}

/** POST as the client, with its CSRF token unless `csrf` says otherwise. */
export function post(app: FastifyInstance, client: Client | undefined, url: string, payload?: unknown, csrf?: string | null): Promise<LightMyRequestResponse> {
  const token = csrf === undefined ? client?.csrf : csrf;
  return app.inject({
    method: 'POST',
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: { ...(client ? { cookie: client.cookie } : {}), ...(token !== null && token !== undefined ? { 'x-csrf-token': token } : {}) },
  });
}

const toySpec = compilePipeline(toyPipeline);
const toyRegistry = new ComponentRegistry(toyComponents);

/** A finished toy run in `<runsDir>/<id>`. */
export function toyRun(runsDir: string, id: string, parameters: Record<string, unknown> = {}, now?: () => Date): Promise<RunManifest> {
  return runPipeline(toySpec, toyRegistry, { runDir: join(runsDir, id), runId: id, parameters, ...(now ? { now } : {}) });
}
