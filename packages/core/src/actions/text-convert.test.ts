import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { actionError, runAction } from './variables.test-support.js';

const local = (iso: string): Date => DateTime.fromISO(iso).toJSDate();

describe('Text conversions', () => {
  it('reads numbers and names text that is not one', async () => {
    expect(await runAction('Text.ConvertTextToNumber', { text: ' -1,234.5 ' })).toEqual({ number: -1234.5 });
    expect(await runAction('Text.ConvertTextToNumber', { text: '.5e2' })).toEqual({ number: 50 });
    for (const bad of ['abc', '1,23', '', '1.2.3', '-', 'e5']) {
      const e = await actionError('Text.ConvertTextToNumber', { text: bad });
      expect(e.message).toBe("Parameter 'text': the text is not a number.");
    }
  });
  it('writes numbers with decimal places and thousands separators', async () => {
    expect(await runAction('Text.ConvertNumberToText', { number: 1234567.891 })).toEqual({ text: '1,234,567.89' });
    expect(
      await runAction('Text.ConvertNumberToText', { number: -1234.5, decimalPlaces: 0, thousandsSeparator: false }),
    ).toEqual({ text: '-1235' });
    expect(await runAction('Text.ConvertNumberToText', { number: 1.005, decimalPlaces: 2 })).toEqual({ text: '1.01' });
    expect(await runAction('Text.ConvertNumberToText', { number: -0.001, decimalPlaces: 2 })).toEqual({ text: '0.00' });
    expect((await actionError('Text.ConvertNumberToText', { number: 1, decimalPlaces: -1 })).message).toBe(
      "Parameter 'decimalPlaces': -1 is out of range.",
    );
  });
  it('reads datetimes in common forms and custom formats', async () => {
    expect(await runAction('Text.ConvertTextToDateTime', { text: '2024-03-10T08:30:00Z' })).toEqual({
      dateTime: new Date('2024-03-10T08:30:00Z'),
    });
    expect(await runAction('Text.ConvertTextToDateTime', { text: '3/10/2024 2:30 pm' })).toEqual({
      dateTime: local('2024-03-10T14:30'),
    });
    expect(await runAction('Text.ConvertTextToDateTime', { text: 'March 10, 2024' })).toEqual({
      dateTime: local('2024-03-10T00:00'),
    });
    expect(await runAction('Text.ConvertTextToDateTime', { text: '2024-03-10 08:30:15' })).toEqual({
      dateTime: local('2024-03-10T08:30:15'),
    });
    expect(
      await runAction('Text.ConvertTextToDateTime', {
        text: '31/12/2024 18h05',
        customFormat: true,
        format: "dd/MM/yyyy HH'h'mm",
      }),
    ).toEqual({ dateTime: local('2024-12-31T18:05') });
    expect(
      await runAction('Text.ConvertTextToDateTime', {
        text: 'Tuesday 31 December 2024, 6:05 PM',
        customFormat: true,
        format: 'dddd d MMMM yyyy, h:mm tt',
      }),
    ).toEqual({ dateTime: local('2024-12-31T18:05') });
  });
  it('names text that is not a datetime', async () => {
    const e = await actionError('Text.ConvertTextToDateTime', { text: 'soon' });
    expect(e.message).toBe('The text is not a date and time Patchbay recognises.');
    expect(e.hint).toContain('custom format');
    expect(
      (
        await actionError('Text.ConvertTextToDateTime', {
          text: '2024-31-12',
          customFormat: true,
          format: 'yyyy-MM-dd',
        })
      ).message,
    ).toBe("The text does not match the format 'yyyy-MM-dd'.");
    expect((await actionError('Text.ConvertTextToDateTime', { text: 'x', customFormat: true })).message).toBe(
      "Parameter 'format': the custom format is empty.",
    );
  });
  it('writes datetimes in standard and custom formats', async () => {
    const d = local('2024-03-05T14:07:09.045');
    const fmt = async (params: Record<string, string>): Promise<unknown> =>
      (await runAction('Text.ConvertDateTimeToText', { dateTime: d, ...params })).text;
    expect(await fmt({})).toBe('3/5/2024');
    expect(await fmt({ standardFormat: 'longDate' })).toBe('Tuesday, March 5, 2024');
    expect(await fmt({ standardFormat: 'generalDateTimeLongTime' })).toBe('3/5/2024 2:07:09 PM');
    expect(await fmt({ standardFormat: 'sortableDateTime' })).toBe('2024-03-05T14:07:09');
    expect(new Date(String(await fmt({ standardFormat: 'iso8601' }))).getTime()).toBe(d.getTime());
    expect(await fmt({ formatType: 'custom', format: "ddd dd/MM/yy HH:mm:ss.fff 'at' h tt \\d\\a\\y" })).toBe(
      'Tue 05/03/24 14:07:09.045 at 2 PM day',
    );
    expect((await actionError('Text.ConvertDateTimeToText', { dateTime: 'x' })).message).toBe(
      "Parameter 'dateTime': expected a datetime, got text.",
    );
    expect((await actionError('Text.ConvertDateTimeToText', { dateTime: d, standardFormat: 'rfc' })).message).toMatch(
      /^Parameter 'standardFormat': 'rfc' is not one of 'shortDate', /,
    );
  });
});
