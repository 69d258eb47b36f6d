// Builds the dashboard's browser app (src/dashboard/web) into dist/dashboard/, which the dashboard
// server serves under a strict Content-Security-Policy (no inline script or style): Vite emits
// external module scripts and stylesheets only.
//
//   npm run build:dashboard                                    # production build
//   SEALED_API=https://127.0.0.1:8443 npx vite --config src/dashboard/web/vite.config.ts
//                                                              # dev server, /api proxied to a running `sealed ui`
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Browsers this app targets all support <link rel="modulepreload">.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: process.env.SEALED_API ?? 'https://127.0.0.1:8443', changeOrigin: false, secure: false },
    },
  },
});
