/**
 * The pure actions inside a real run: the interpreter evaluates and coerces
 * their parameters, raw variable names reach them as written, and their
 * errors come back with the step's path and action.
 */
import { describe, expect, it } from 'vitest';
import { flowOf, run } from '../engine/test-support.js';

describe('pure actions in a flow', () => {
  it('turns CSV text into a report: parse, loop, convert, collect, sort, join and JSON', async () => {
    const flow = flowOf({
      inputs: { Csv: { type: 'text', required: true } },
      outputs: { Total: { type: 'number' }, Names: { type: 'text' }, Json: { type: 'text' }, Due: { type: 'text' } },
      steps: [
        { action: 'Data.ReadCsvText', params: { text: '%Csv%', firstLineIsHeader: true } },
        { action: 'Variables.CreateNewList', produces: { list: 'People' } },
        { action: 'Variables.Set', params: { name: 'Total', value: '%0%' } },
        {
          action: 'Loop.ForEach',
          params: { items: '%CSVTable%' },
          produces: { item: 'Row' },
          do: [
            { action: 'Text.ConvertTextToNumber', params: { text: '%Row.Amount%' } },
            { action: 'Variables.Increase', params: { name: 'Total', by: '%TextAsNumber%' } },
            { action: 'Text.ChangeCase', params: { text: '%Row.Name%', case: 'title' } },
            { action: 'Variables.AddItemToList', params: { item: '%TextWithChangedCase%', list: 'People' } },
          ],
        },
        { action: 'Variables.SortList', params: { list: '%People%' } },
        {
          action: 'Text.Join',
          params: { list: '%People%', separatorType: 'custom', customDelimiter: ', ' },
          produces: { text: 'Names' },
        },
        { action: 'Data.ConvertCustomObjectToJson', params: { object: '%CSVTable[0]%' }, produces: { json: 'Json' } },
        { action: 'Text.ConvertTextToDateTime', params: { text: '2024-02-28' } },
        { action: 'DateTime.Add', params: { dateTime: '%TextAsDateTime%', amount: 2, unit: 'days' } },
        {
          action: 'Text.ConvertDateTimeToText',
          params: { dateTime: '%ResultedDate%', formatType: 'custom', format: 'dd MMM yyyy' },
          produces: { text: 'Due' },
        },
      ],
    });
    const r = await run(flow, { inputs: { Csv: 'Name,Amount\nbob smith,"1,000.5"\n"ada lovelace",20\n' } });
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({
      Total: 1020.5,
      Names: 'Ada Lovelace, Bob Smith',
      Json: '{"Name":"bob smith","Amount":"1,000.5"}',
      Due: '01 Mar 2024',
    });
  });
  it('fails a step with its path, its action and the parameter to fix', async () => {
    const flow = flowOf({
      steps: [
        { action: 'Variables.Set', params: { name: 'T', value: 'abc' } },
        { action: 'Text.Replace', params: { text: '%T%', find: '(unclosed', isRegex: true } },
      ],
    });
    const r = await run(flow);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'action.param', stepPath: '/steps/1', action: 'Text.Replace' });
    expect(r.error?.message).toBe(
      "Parameter 'find': '(unclosed' is not a valid regular expression (Unterminated group).",
    );
  });
});
