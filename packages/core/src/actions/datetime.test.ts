import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { actionError, runAction, testContext } from './variables.test-support.js';
import { formatDateTime } from './datetime-format.js';

const NOW = new Date('2024-03-10T12:34:56.789Z');
const local = (iso: string): Date => DateTime.fromISO(iso).toJSDate();
const wall = (v: unknown): string => formatDateTime(v as Date, 'yyyy-MM-dd HH:mm:ss');

describe('DateTime.GetCurrentDateTime', () => {
  it('reads the run clock, as date and time or date only, locally or in a zone', async () => {
    const ctx = testContext({ now: NOW });
    expect(await runAction('DateTime.GetCurrentDateTime', {}, ctx)).toEqual({ dateTime: NOW });
    expect(await runAction('DateTime.GetCurrentDateTime', { retrieve: 'dateOnly' }, ctx)).toEqual({
      dateTime: DateTime.fromJSDate(NOW).startOf('day').toJSDate(),
    });
    expect(wall((await runAction('DateTime.GetCurrentDateTime', { timeZone: 'Asia/Tokyo' }, ctx)).dateTime)).toBe(
      '2024-03-10 21:34:56',
    );
    expect(
      wall((await runAction('DateTime.GetCurrentDateTime', { timeZone: 'UTC', retrieve: 'dateOnly' }, ctx)).dateTime),
    ).toBe('2024-03-10 00:00:00');
  });
  it('names an unknown time zone', async () => {
    const e = await actionError('DateTime.GetCurrentDateTime', { timeZone: 'Mars/Olympus' });
    expect(e.message).toBe("Parameter 'timeZone': 'Mars/Olympus' is not a known time zone.");
    expect(e.hint).toContain('Europe/Paris');
  });
});

describe('DateTime.Add and Subtract', () => {
  it('adds units, fractions of days and calendar months', async () => {
    const d = local('2024-01-31T10:00');
    const add = async (amount: number, unit: string): Promise<string> =>
      wall((await runAction('DateTime.Add', { dateTime: d, amount, unit })).dateTime);
    expect(await add(90, 'seconds')).toBe('2024-01-31 10:01:30');
    expect(await add(-1.5, 'hours')).toBe('2024-01-31 08:30:00');
    expect(await add(1.25, 'days')).toBe('2024-02-01 16:00:00');
    expect(await add(1, 'months')).toBe('2024-02-29 10:00:00');
    expect(await add(-2, 'years')).toBe('2022-01-31 10:00:00');
    expect(await add(2, 'weeks')).toBe('2024-02-14 10:00:00');
  });
  it('rejects fractional months and unknown units', async () => {
    expect((await actionError('DateTime.Add', { dateTime: NOW, amount: 1.5, unit: 'months' })).message).toBe(
      "Parameter 'amount': 1.5 months is not a whole number of months.",
    );
    expect((await actionError('DateTime.Add', { dateTime: NOW, amount: 1, unit: 'fortnights' })).message).toMatch(
      /^Parameter 'unit': 'fortnights' is not one of/,
    );
    expect((await actionError('DateTime.Add', { dateTime: 'tomorrow', amount: 1 })).message).toBe(
      "Parameter 'dateTime': expected a datetime, got text.",
    );
    expect((await actionError('DateTime.Add', { dateTime: NOW, amount: 1e12, unit: 'years' })).code).toBe(
      'action.failed',
    );
  });
  it('gives the difference with its fraction', async () => {
    const a = new Date('2024-03-10T12:00:00Z');
    const b = new Date('2024-03-10T10:30:00Z');
    expect(await runAction('DateTime.Subtract', { fromDate: a, subtractDate: b, unit: 'hours' })).toEqual({
      difference: 1.5,
    });
    expect(await runAction('DateTime.Subtract', { fromDate: b, subtractDate: a, unit: 'minutes' })).toEqual({
      difference: -90,
    });
    expect(await runAction('DateTime.Subtract', { fromDate: a, subtractDate: b })).toEqual({ difference: 0.0625 });
  });
});

describe('DateTime.ConvertTimeZone, Parse and Format', () => {
  it('moves the wall clock between zones', async () => {
    const noon = local('2024-03-10T12:00');
    const convert = async (from: string, to: string): Promise<string> =>
      wall(
        (await runAction('DateTime.ConvertTimeZone', { dateTime: noon, sourceTimeZone: from, targetTimeZone: to }))
          .dateTime,
      );
    expect(await convert('UTC', 'America/New_York')).toBe('2024-03-10 08:00:00');
    expect(await convert('Europe/Paris', 'Asia/Tokyo')).toBe('2024-03-10 20:00:00');
    expect(await convert('UTC+2', 'UTC')).toBe('2024-03-10 10:00:00');
    expect((await actionError('DateTime.ConvertTimeZone', { dateTime: noon })).message).toBe(
      "Parameter 'targetTimeZone': a time zone is required.",
    );
    expect(
      (
        await actionError('DateTime.ConvertTimeZone', {
          dateTime: noon,
          sourceTimeZone: 'Nowhere',
          targetTimeZone: 'UTC',
        })
      ).message,
    ).toBe("Parameter 'sourceTimeZone': 'Nowhere' is not a known time zone.");
  });
  it('parses text written in a zone', async () => {
    expect(await runAction('DateTime.Parse', { text: '2024-03-10 08:00', timeZone: 'America/New_York' })).toEqual({
      dateTime: new Date('2024-03-10T12:00:00Z'),
    });
    expect(await runAction('DateTime.Parse', { text: '2024-03-10T08:00:00Z', timeZone: 'Asia/Tokyo' })).toEqual({
      dateTime: new Date('2024-03-10T08:00:00Z'),
    });
    expect(
      await runAction('DateTime.Parse', {
        text: '10.03.2024 09:15',
        format: 'dd.MM.yyyy HH:mm',
        timeZone: 'Europe/Berlin',
      }),
    ).toEqual({ dateTime: new Date('2024-03-10T08:15:00Z') });
    expect((await actionError('DateTime.Parse', { text: '10.03.2024', format: 'yyyy-MM-dd' })).message).toBe(
      "The text does not match the format 'yyyy-MM-dd'.",
    );
  });
  it('formats as shown in a zone', async () => {
    const d = new Date('2024-03-10T12:00:00Z');
    expect(
      await runAction('DateTime.Format', { dateTime: d, format: 'yyyy-MM-dd HH:mm zzz', timeZone: 'Asia/Kolkata' }),
    ).toEqual({ text: '2024-03-10 17:30 +05:30' });
    expect(await runAction('DateTime.Format', { dateTime: d, timeZone: 'UTC' })).toEqual({
      text: '2024-03-10 12:00:00',
    });
    expect((await actionError('DateTime.Format', { dateTime: d, format: ' ' })).message).toBe(
      "Parameter 'format': the format is empty.",
    );
  });
});
