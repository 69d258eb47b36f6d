export { predictContributions } from './treeShap.ts';
