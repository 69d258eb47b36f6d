// Public API of the core layer: errors and their message catalog, seeded randomness,
// atomic file writes and hashing. `core` depends on nothing else in the project.
export * from './errors.ts';
export { messages, formatMessage, type MessageCode, type MessageArgs } from './messages.ts';
export * from './random/index.ts';
export * from './fs/index.ts';
export type { DenseMatrix } from './denseMatrix.ts';
export { redactUrl, redactValue, redactParameters, redactText, HARMLESS_QUERY_PARAMS } from './redact.ts';
export { errorLine, errorDetail, debugEnabled } from './errorText.ts';
export { nearestName, editDistance } from './nearestName.ts';
export { networkReason } from './networkReason.ts';
export { excerpt, EXCERPT_CHARS } from './excerpt.ts';
export { printable, printableJson } from './terminalText.ts';
