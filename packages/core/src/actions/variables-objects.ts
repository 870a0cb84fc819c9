/**
 * Custom-object actions (PAD's custom objects: JSON-like records). Like
 * lists, objects are values: changing one stores a new object.
 */
import type { ActionDefinition } from '../contracts.js';
import { isValueObject, type ValueObject } from '../values.js';
import { failed, objectVariable, paramError, text, describeType } from './variables-params.js';

function propertyName(p: Record<string, unknown>, param: string): string {
  const name = typeof p[param] === 'string' ? (p[param] as string) : '';
  if (name.trim() === '')
    throw paramError(param, 'a property name is required.', "Give the property's name, e.g. Email.");
  return name;
}

export const objectActions: ActionDefinition[] = [
  {
    id: 'Variables.CreateCustomObject',
    group: 'Variables',
    displayName: 'Create custom object',
    description: 'Creates a custom object, empty or with the given properties.',
    params: [
      {
        name: 'properties',
        type: 'object',
        displayName: 'Properties',
        description:
          'Optional starting properties, e.g. %Other% or JSON converted with Data.ConvertJsonToCustomObject.',
      },
    ],
    produces: [{ key: 'object', defaultName: 'CustomObject', type: 'object' }],
    run(_ctx, p) {
      const start = p.properties;
      if (start === undefined || start === null || start === '') return { object: {} };
      if (!isValueObject(start))
        throw paramError('properties', `expected a custom object, got ${describeType(start)}.`);
      return { object: { ...start } };
    },
  },
  {
    id: 'Variables.AddPropertyToCustomObject',
    group: 'Variables',
    displayName: 'Add property to custom object',
    description: 'Adds a property to a custom object, or sets it when it is already there.',
    params: [
      {
        name: 'object',
        type: 'text',
        displayName: 'Custom object',
        description: 'The name of the custom-object variable.',
        required: true,
        raw: true,
      },
      { name: 'property', type: 'text', displayName: 'Property name', required: true },
      { name: 'value', type: 'any', displayName: 'Value', default: '' },
    ],
    produces: [],
    run(ctx, p) {
      const o = objectVariable(ctx, p, 'object');
      const name = propertyName(p, 'property');
      const next: ValueObject = { ...o.value, [name]: p.value === undefined ? '' : p.value };
      ctx.setVariable(o.name, next);
    },
  },
  {
    id: 'Variables.RemovePropertyFromCustomObject',
    group: 'Variables',
    displayName: 'Remove property from custom object',
    description: 'Removes a property from a custom object.',
    params: [
      {
        name: 'object',
        type: 'text',
        displayName: 'Custom object',
        description: 'The name of the custom-object variable.',
        required: true,
        raw: true,
      },
      { name: 'property', type: 'text', displayName: 'Property name', required: true },
    ],
    produces: [],
    run(ctx, p) {
      const o = objectVariable(ctx, p, 'object');
      const name = propertyName(p, 'property');
      if (!Object.hasOwn(o.value, name)) {
        const have = Object.keys(o.value);
        throw failed(
          `Custom object '${o.name}' has no property '${text(p, 'property')}'.`,
          have.length ? `Its properties are: ${have.join(', ')}.` : 'It has no properties.',
        );
      }
      const next: ValueObject = { ...o.value };
      delete next[name];
      ctx.setVariable(o.name, next);
    },
  },
];
