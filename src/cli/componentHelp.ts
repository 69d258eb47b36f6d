// What `sealed component --help` and `sealed component <name> --help` print, without importing
// the components (issue 17: their code pulls in the data, ML and tree engines, ~0.3 s, to print a
// few lines). scripts/buildApp.mjs computes it from the default catalog's registry when it builds
// dist/app and writes it beside the build (COMPONENT_HELP_FILE), so it is exactly as fresh as the
// built code: bin/entry.mjs never runs a stale build, and `buildApp.mjs --check` (a test) compares
// the file with what the built registry gives. Running from the sources (tsx) there is no file and
// the help comes from the registry itself, as it does for any catalog a caller injects.
import { readFile } from 'node:fs/promises';
import type { ComponentRegistry } from '../pipeline/index.ts';
import { describeComponent } from './componentArgs.ts';

/** The component names (sorted, as the registry lists them) and each one's help text. */
export interface ComponentHelp {
  names: string[];
  describe: Record<string, string>;
}

/** Where help comes from when it need not be the registry: undefined = ask the registry. */
export type ComponentHelpSource = () => Promise<ComponentHelp | undefined>;

/** Where the build puts the help of the default catalog: dist/app/<this>. */
export const COMPONENT_HELP_FILE = 'component-help.json';

/** Help of every component of a registry (what the build writes, and what tests compare it with). */
export function componentHelpOf(registry: ComponentRegistry): ComponentHelp {
  const names = registry.names();
  return { names, describe: Object.fromEntries(names.map((n) => [n, describeComponent(registry.get(n))])) };
}

/** The default catalog's help, for the build to write. */
export async function defaultCatalogHelp(): Promise<ComponentHelp> {
  const { defaultCatalog } = await import('./pipelineCatalog.ts');
  return componentHelpOf((await defaultCatalog()).registry);
}

/**
 * The default catalog's help as the build wrote it, or undefined when this code is not the build
 * (running from src/ through tsx) or the file is missing or not what the build writes: then the
 * caller asks the registry, which is slower but always right.
 */
export async function builtComponentHelp(): Promise<ComponentHelp | undefined> {
  // Built modules end in .js; from dist/app/src/cli/ the file is two folders up.
  if (!import.meta.url.endsWith('.js')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(new URL(`../../${COMPONENT_HELP_FILE}`, import.meta.url), 'utf8'));
  } catch {
    return undefined;
  }
  return isComponentHelp(parsed) ? parsed : undefined;
}

/** Whether `v` has the shape the build writes, with no control characters to reach a terminal. */
export function isComponentHelp(v: unknown): v is ComponentHelp {
  if (typeof v !== 'object' || v === null) return false;
  const { names, describe } = v as Partial<ComponentHelp>;
  if (!Array.isArray(names) || typeof describe !== 'object' || describe === null || Array.isArray(describe)) return false;
  // Printed to a terminal as is: a file with control characters (not what the build writes) is
  // not trusted, and the registry answers instead.
  const plain = (s: unknown) => typeof s === 'string' && ![...s].some(isControl);
  return names.every((n) => plain(n) && Object.hasOwn(describe, n) && plain(describe[n]));
}

/** C0 (but tab and newline) and C1 control characters, DEL included. */
function isControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f);
}
