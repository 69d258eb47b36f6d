// A sandbox for `sealed deploy plan|up|down` tests: a bin folder whose az, pulumi, kubectl, git and
// npm are fakeDeployTool.mjs (the only PATH the commands see), a fake checkout (Dockerfile,
// deploy/azure, package.json), a configuration file, a 0600 password-hash file and a state folder.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { processRunner } from '../../../src/deploy/steps/runner.ts';
import type { DeployDeps, UpOptions } from '../../../src/deploy/steps/commands.ts';
import type { RenderRequest } from '../../../src/deploy/steps/upSteps.ts';
import { Capture } from '../../cli/helpers.ts';

const FAKE = fileURLToPath(new URL('./fakeDeployTool.mjs', import.meta.url));
export const TOOLS = ['az', 'pulumi', 'kubectl', 'git', 'npm'] as const;

export interface Call {
  tool: string;
  args: string[];
  stdin: string;
  secretVars: string[];
}

/** Made once per process: cost 12 takes a quarter second. The plain password never leaves this file. */
let cachedHash: string | undefined;
export function dexHash(): string {
  cachedHash ??= bcrypt.hashSync('correct horse battery staple 42', 12).replace(/^\$2[ab]\$/, '$2y$');
  return cachedHash;
}

export interface Sandbox {
  root: string;
  bin: string;
  fake: string;
  repo: string;
  config: string;
  passwordFile: string;
  manifests: string;
  stateDir: string;
  env: Record<string, string>;
  renders: RenderRequest[];
  options(extra?: Partial<UpOptions>): UpOptions;
  deps(extra?: Partial<DeployDeps>): DeployDeps;
  io(): { stdout: Capture; stderr: Capture; env: Record<string, string>; cwd: string };
  calls(): Call[];
  scenario(s: Record<string, unknown>): void;
}

export const CONFIG_YAML = `# sealed-deploy.yaml
location: westeurope
resourceGroup: sealed-rg
clusterName: sealedaks
acr:
  name: sealedacr
`;

export function sandbox(opts: { without?: readonly string[]; config?: string } = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'sealed-deploy-'));
  const bin = join(root, 'bin');
  const fake = join(root, 'fake');
  const repo = join(root, 'repo');
  mkdirSync(bin);
  mkdirSync(fake);
  mkdirSync(join(repo, 'deploy', 'azure'), { recursive: true });
  writeFileSync(join(repo, 'Dockerfile'), 'FROM node:20-bookworm-slim\n');
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'sealed-pipelines', version: '0.1.0' }));
  for (const tool of TOOLS) {
    if (opts.without?.includes(tool)) continue;
    const p = join(bin, tool);
    writeFileSync(p, `#!/bin/sh\nexec '${process.execPath}' '${FAKE}' ${tool} "$@"\n`);
    chmodSync(p, 0o755);
  }
  const config = join(root, 'sealed-deploy.yaml');
  writeFileSync(config, opts.config ?? CONFIG_YAML);
  const passwordFile = join(root, 'dex-password');
  writeFileSync(passwordFile, dexHash() + '\n', { mode: 0o600 });
  const manifests = join(root, 'manifests');
  mkdirSync(manifests);
  const stateDir = join(root, 'state');
  // Our own secrets are in the environment on purpose: no child may see them.
  const env = { PATH: bin, HOME: root, FAKE_DEPLOY_DIR: fake, SEALED_UI_PASSWORD: 'ui-secret-do-not-leak', KFP_TOKEN: 'kfp-token-do-not-leak' };
  const renders: RenderRequest[] = [];
  const sb: Sandbox = {
    root,
    bin,
    fake,
    repo,
    config,
    passwordFile,
    manifests,
    stateDir,
    env,
    renders,
    options: (extra = {}) => ({ config, manifests, dexUser: 'ada@example.org', dexPasswordFile: passwordFile, stateDir, yes: true, ...extra }),
    deps: (extra = {}) => ({
      runner: processRunner({ env }),
      repoRoot: repo,
      sleep: async () => {},
      timing: { applyAttempts: 4, applyDelayMs: 1, podsMs: 60_000, pollMs: 1, addressMs: 60_000, certificateMs: 300_000 },
      // The overlay itself is D1's, tested against both vendored releases; here: what it was asked, and a 0600 secret file as it writes.
      render: async (r) => {
        renders.push(r);
        mkdirSync(r.out, { recursive: true });
        writeFileSync(join(r.out, 'kustomization.yaml'), 'resources: []\n');
        writeFileSync(join(r.out, 'dex-user-password.bcrypt'), r.passwordHash, { mode: 0o600 });
        return {};
      },
      ...extra,
    }),
    io: () => ({ stdout: new Capture(), stderr: new Capture(), env, cwd: root }),
    calls: () => (existsSync(join(fake, 'calls.jsonl')) ? readFileSync(join(fake, 'calls.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : []),
    scenario: (s) => writeFileSync(join(fake, 'scenario.json'), JSON.stringify(s)),
  };
  return sb;
}

/** A call as one line `tool arg arg ...`, with the sandbox root shown as <root>. */
export function callLine(c: Call, root: string): string {
  return [c.tool, ...c.args].join(' ').split(root).join('<root>');
}
