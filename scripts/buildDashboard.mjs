// `npm run prepare` (run by `npm ci` / `npm install`): builds the dashboard's browser app into
// dist/dashboard/ when Vite is installed (a development install); with production dependencies
// only (`npm ci --omit=dev`, the container image) it says so in one line and does nothing.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

let viteBin;
try {
  const pkgPath = require.resolve('vite/package.json');
  const pkg = require(pkgPath);
  viteBin = join(dirname(pkgPath), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.vite);
} catch {
  console.log('dashboard: vite is not installed, skipping the browser app build');
  process.exit(0);
}

const r = spawnSync(process.execPath, [viteBin, 'build', '--config', 'src/dashboard/web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) {
  console.error('dashboard: the browser app build failed');
  process.exit(r.status ?? 1);
}
console.log('dashboard: built dist/dashboard/');
