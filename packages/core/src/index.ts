export * from './values.js';
export * from './errors.js';
export * from './contracts.js';
export * from './host.js';
export { standardActions } from './actions/index.js';
export * from './edits/index.js';
export * from './expressions/index.js';
export * from './flow/index.js';
export * from './engine/index.js';
