// `sealed deploy render`: the Kubeflow overlay for a checkout, without touching any cluster. The
// password file (plain password or bcrypt hash, 0600) is read by the password module; the hash
// goes only into the overlay's 0600 secret file, never to stdout.
import { resolve } from 'node:path';
import { printable } from '../../core/index.ts';
import { renderOverlay, type RenderOptions, type RenderResult } from '../kubeflow/index.ts';
import { readPasswordFile } from '../password/index.ts';
import type { DeployIo } from './io.ts';

export interface RenderCommandOptions {
  manifests: string;
  out: string;
  /** Kustomization the overlay builds on (default <manifests>/example). */
  base?: string;
  dexUser: string;
  dexPasswordFile: string;
  ip?: string;
  domain?: string;
  issuer?: string;
}

export async function deployRenderCommand(options: RenderCommandOptions, io: DeployIo, render: (o: RenderOptions) => Promise<RenderResult> = renderOverlay): Promise<number> {
  const { hash } = await readPasswordFile(resolve(io.cwd, options.dexPasswordFile), { email: options.dexUser });
  const result = await render({
    manifests: resolve(io.cwd, options.manifests),
    out: resolve(io.cwd, options.out),
    ...(options.base !== undefined ? { base: resolve(io.cwd, options.base) } : {}),
    dexUser: options.dexUser,
    passwordHash: hash,
    ...(options.ip !== undefined ? { ip: options.ip } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
  });
  for (const w of result.warnings) io.stderr.write(`warning: ${printable(w)}\n`);
  io.stdout.write(
    [
      `wrote the Kubeflow ${result.layout.line} overlay to ${printable(result.out)} (${result.changed.length} objects patched, ${result.added.length} added)`,
      `check it with: kubectl kustomize ${printable(result.out)}`,
      '',
    ].join('\n'),
  );
  return 0;
}
