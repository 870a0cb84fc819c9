/**
 * Values that flow variables, inputs, outputs and expressions hold.
 * Mirrors Power Automate for desktop's types: text, number, boolean, list,
 * custom object, datetime and binary. `null` is the empty value.
 */
export type Value = null | string | number | boolean | Date | Uint8Array | Value[] | ValueObject;

export interface ValueObject {
  [key: string]: Value;
}

/** Type names used in flow files (inputs, outputs, variables) and in action parameter specs. */
export const VALUE_TYPES = ['text', 'number', 'boolean', 'list', 'object', 'datetime', 'binary', 'any'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** The value type of a JSON Schema / OpenAPI type (`string` with format `binary` is binary data). */
export function valueTypeOfSchema(type: string | undefined, format?: string): ValueType {
  switch (type) {
    case 'string':
      return format === 'binary' ? 'binary' : 'text';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    case 'object':
      return 'object';
    case 'file':
      return 'binary';
    default:
      return 'any';
  }
}

export function isValueObject(v: unknown): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/** The type name of a runtime value (`null` reports as `any`). */
export function typeOfValue(v: Value): ValueType {
  if (v === null) return 'any';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return 'datetime';
  if (v instanceof Uint8Array) return 'binary';
  if (Array.isArray(v)) return 'list';
  return 'object';
}
