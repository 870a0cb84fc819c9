/** The designer is an app, not a library: its public surface is the pure helpers the benches and tests use. */
export { flattenFlow } from './editor/rows.js';
export { buildLibrary, searchLibrary } from './editor/library.js';
