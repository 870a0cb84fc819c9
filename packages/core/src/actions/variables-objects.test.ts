import { describe, expect, it } from 'vitest';
import { actionError, runAction, testContext } from './variables.test-support.js';

describe('custom-object actions', () => {
  it('creates, sets and removes properties without changing the old object', async () => {
    const ctx = testContext();
    const { object } = await runAction('Variables.CreateCustomObject', { properties: { A: 1 } }, ctx);
    ctx.vars.set('O', object);
    await runAction('Variables.AddPropertyToCustomObject', { object: 'O', property: 'B', value: [1, 2] }, ctx);
    await runAction('Variables.AddPropertyToCustomObject', { object: 'O', property: 'A', value: 'one' }, ctx);
    expect(ctx.vars.get('O')).toEqual({ A: 'one', B: [1, 2] });
    await runAction('Variables.RemovePropertyFromCustomObject', { object: 'O', property: 'A' }, ctx);
    expect(ctx.vars.get('O')).toEqual({ B: [1, 2] });
    expect(object).toEqual({ A: 1 });
  });
  it('names what is wrong', async () => {
    const ctx = testContext({ vars: { O: { A: 1 }, L: [] } });
    const e = await actionError('Variables.RemovePropertyFromCustomObject', { object: 'O', property: 'Z' }, ctx);
    expect(e.message).toBe("Custom object 'O' has no property 'Z'.");
    expect(e.hint).toBe('Its properties are: A.');
    expect(
      (await actionError('Variables.AddPropertyToCustomObject', { object: 'L', property: 'x' }, ctx)).message,
    ).toBe("Parameter 'object': variable 'L' holds a list, not a custom object.");
    expect(
      (await actionError('Variables.AddPropertyToCustomObject', { object: 'O', property: ' ' }, ctx)).message,
    ).toBe("Parameter 'property': a property name is required.");
    expect((await actionError('Variables.CreateCustomObject', { properties: [1] })).message).toBe(
      "Parameter 'properties': expected a custom object, got a list.",
    );
  });
});
