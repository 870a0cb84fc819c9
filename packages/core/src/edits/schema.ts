/**
 * Flow edits as data (STYLE.md §4). Every change the designer makes to a flow
 * is one of these `{type, request}` records; the browser applies them locally
 * and the server applies the very same functions to the stored flow. The
 * schemas are written once here: the server validates request bodies with
 * them, and the types are derived from them.
 */
import Type from 'typebox';
import { VALUE_TYPES } from '../values.js';

/** A step as the edits see it: a JSON object; `validateFlow` checks the rest. */
export const EditStepSchema = Type.Object({}, { additionalProperties: true });

/** A flow input, output or variable declaration. */
export const VariableDeclSchema = Type.Object(
  {
    type: Type.Enum([...VALUE_TYPES]),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.String()),
    sensitive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export const VariableDeclsSchema = Type.Record(Type.String(), VariableDeclSchema);

/** JSON pointer to a step list (`/steps`, `/steps/2/then`, `/subflows/Cleanup/steps`). */
const ListPointer = Type.String({ description: 'JSON pointer to a list of steps, e.g. /steps or /steps/2/then' });
/** JSON pointer to a step (`/steps/2/then/0`). */
const StepPointer = Type.String({ description: 'JSON pointer to a step, e.g. /steps/2/then/0' });
const Index = Type.Integer({ minimum: 0 });

/** The request schema of each edit type. */
export const flowEditRequestSchemas = {
  /** Inserts `step` into the list at `parentPath`, before position `index` (`index` = length appends). */
  add_step: Type.Object({ parentPath: ListPointer, index: Index, step: EditStepSchema }),
  /** Inserts several steps (paste) into one list, in order. */
  add_steps: Type.Object({ parentPath: ListPointer, index: Index, steps: Type.Array(EditStepSchema) }),
  /** Moves the step at `from` to the position `to`, both given as pointers into the flow *before* the move. */
  move_step: Type.Object({ from: StepPointer, to: Type.Object({ parentPath: ListPointer, index: Index }) }),
  delete_step: Type.Object({ path: StepPointer }),
  /** Replaces a step's configuration; nested bodies the new step omits are kept. */
  update_step: Type.Object({ path: StepPointer, step: EditStepSchema }),
  set_disabled: Type.Object({ path: StepPointer, disabled: Type.Boolean() }),
  rename_flow: Type.Object({ name: Type.String() }),
  set_description: Type.Object({ description: Type.String() }),
  set_inputs: Type.Object({ inputs: VariableDeclsSchema }),
  set_outputs: Type.Object({ outputs: VariableDeclsSchema }),
  add_subflow: Type.Object({ name: Type.String() }),
  rename_subflow: Type.Object({ from: Type.String(), to: Type.String() }),
  delete_subflow: Type.Object({ name: Type.String() }),
} as const;

export type FlowEditType = keyof typeof flowEditRequestSchemas;
export const FLOW_EDIT_TYPES = Object.keys(flowEditRequestSchemas) as FlowEditType[];

/** The JSON Schema of one edit (route validation, the published API document). */
export const FlowEditSchema = Type.Union(
  FLOW_EDIT_TYPES.map((type) => Type.Object({ type: Type.Literal(type), request: flowEditRequestSchemas[type] })),
);

type Requests = { [K in FlowEditType]: Type.Static<(typeof flowEditRequestSchemas)[K]> };
/** One flow edit: `{type, request}`. */
export type FlowEdit = { [K in FlowEditType]: { type: K; request: Requests[K] } }[FlowEditType];
export type FlowEditOf<K extends FlowEditType> = Extract<FlowEdit, { type: K }>;
export type EditStep = Record<string, unknown>;
export type VariableDecl = Type.Static<typeof VariableDeclSchema>;
