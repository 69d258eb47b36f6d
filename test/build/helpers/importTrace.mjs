// Loaded with `node --import` by test/build/startupImports.test.ts: prints every module URL the
// process resolves, one `IMPORT <url>` line on stderr, so a test can check what a command loads.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(
      'const seen = new Set();' +
        'export async function resolve(specifier, context, next) {' +
        '  const r = await next(specifier, context);' +
        '  if (!seen.has(r.url)) { seen.add(r.url); process.stderr.write(`IMPORT ${r.url}\\n`); }' +
        '  return r;' +
        '}',
    ),
);
