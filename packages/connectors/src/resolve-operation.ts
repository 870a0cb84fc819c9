/**
 * An operation as its consumers read it. The importer keeps an object body
 * whole and leaves output fields out (a deferred operation), so a model stays
 * the size of its definition; `resolveOperation` flattens the body into one
 * input per property and lists the output fields, reading the shared schemas
 * through `schemaView` (bounded, cycle-safe). Cached per operation object.
 */
import type { Connector, Operation, OperationInput } from './model.js';
import { schemaView } from './schemas.js';
import { linkDynamicReferences } from './import/dynamic.js';
import { uniqueNames } from './import/parameters.js';
import { flattenBody, outputFields } from './import/schema-fields.js';

const resolved = new WeakMap<Operation, Operation>();

/** A copy whose dynamic parameters can be relinked without touching the stored input. */
function own(input: OperationInput): OperationInput {
  const copy = { ...input };
  if (input.dynamicValues)
    copy.dynamicValues = { ...input.dynamicValues, parameters: { ...input.dynamicValues.parameters } };
  if (input.dynamicSchema)
    copy.dynamicSchema = { ...input.dynamicSchema, parameters: { ...input.dynamicSchema.parameters } };
  return copy;
}

/** The operation with its body flattened and its output fields listed (itself when it is not deferred). */
export function resolveOperation(connector: Pick<Connector, 'components'>, op: Operation): Operation {
  if (!op.deferred) return op;
  const hit = resolved.get(op);
  if (hit) return hit;
  const view = schemaView(connector);
  const inputs = uniqueNames(
    op.inputs.flatMap((i) =>
      i.flatten
        ? flattenBody(
            {
              name: i.name,
              schema: i.schema ?? {},
              required: i.required,
              visibility: i.visibility,
              ...(i.displayName !== i.name ? { displayName: i.displayName } : {}),
              ...(i.description ? { description: i.description } : {}),
            },
            () => undefined,
            view,
          )
        : [own(i)],
    ),
  );
  linkDynamicReferences(inputs);
  const { deferred: _deferred, ...rest } = op;
  const out: Operation = {
    ...rest,
    inputs,
    outputs: { ...op.outputs, fields: outputFields(op.outputs.schema, op.outputs.binary === true, view) },
  };
  resolved.set(op, out);
  return out;
}

/** The connector with every operation resolved (for inspecting a whole model; a call resolves only its own). */
export function resolveConnector(connector: Connector): Connector {
  return { ...connector, operations: connector.operations.map((o) => resolveOperation(connector, o)) };
}
