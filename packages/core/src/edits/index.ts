export { applyFlowEdit, applyFlowEdits, checkFlowEdit } from './apply.js';
export { FlowEditSchema, flowEditRequestSchemas, FLOW_EDIT_TYPES } from './schema.js';
export type { FlowEdit, FlowEditOf, FlowEditType, EditStep, VariableDecl } from './schema.js';
export { parsePointer, formatPointer, parseStepPointer, parseListPointer } from './pointer.js';
export { isValidVariableName } from './names.js';
export { getIn as getAtPointer } from './tree.js';
