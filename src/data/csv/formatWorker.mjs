// Worker entry: workers do not inherit the main thread's TypeScript loader, so register tsx
// (a runtime dependency) before importing the worker's TypeScript source.
import { register } from 'tsx/esm/api';

register();
await import('./formatWorker.ts');
