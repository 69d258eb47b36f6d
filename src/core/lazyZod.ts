// zod, loaded when a schema is first checked rather than when a module that declares one is
// imported: loading it takes 50-90 ms, and a plain `sealed run` checks no zod schema (no
// SEALED_DATA_POLICY, no executor input, no stored preprocessor or manifest to read). Modules
// import only zod's types and build their schemas on first use through `zod()`.
//
// Loaded synchronously (the schema users are synchronous) as the same ES module instance that
// `import 'zod'` gives (Node >= 20.19 requires ES modules), so a schema built here and one built
// by a module importing zod statically are of one zod; older Nodes get zod's CommonJS build.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as ZodModule from 'zod';

type Zod = typeof ZodModule;

const require = createRequire(import.meta.url);
let loaded: Zod | undefined;

/** The zod module, loaded on the first call. */
export function zod(): Zod {
  if (loaded !== undefined) return loaded;
  try {
    loaded = require(fileURLToPath(import.meta.resolve('zod'))) as Zod;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw e;
    loaded = require('zod') as Zod;
  }
  return loaded;
}

/** A function giving the value `build` makes, built on the first call (a schema that needs zod). */
export function lazily<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
