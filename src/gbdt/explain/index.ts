export { predictContributions, shapTables, contributionsOf, type ShapTables } from './treeShap.ts';
export { ContributionsPool } from './contributionsPool.ts';
