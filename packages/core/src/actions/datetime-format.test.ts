import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { convertWallClock, dotnetToLuxon, formatDateTime, parseDateTime } from './datetime-format.js';

describe('.NET formats over luxon', () => {
  it('translates tokens and keeps everything else literal', () => {
    expect(dotnetToLuxon('yyyy-MM-dd HH:mm:ss')).toBe("yyyy'-'MM'-'dd' 'HH':'mm':'ss");
    expect(dotnetToLuxon("dddd 'at' h tt")).toBe("EEEE' at 'h' 'a");
    expect(dotnetToLuxon('\\d\\a\\y d')).toBe("'day 'd");
    expect(dotnetToLuxon("'it''s'")).toBe("'its'");
    expect(dotnetToLuxon('Week W, ffff')).toBe("'Week W, 'SSS'0'");
  });
  it('formats and parses back the same wall-clock time', () => {
    const d = DateTime.fromISO('2024-07-04T09:05:03.120').toJSDate();
    for (const f of [
      'yyyy-MM-dd HH:mm:ss.fff',
      'dd/MM/yyyy h:mm:ss.fff tt',
      'dddd, MMMM d, yyyy HH:mm:ss.fff',
      "yyyyMMdd'T'HHmmssfff",
    ]) {
      expect(parseDateTime(formatDateTime(d, f), { format: f })).toEqual(d);
    }
  });
  it('returns undefined for text that is not a datetime', () => {
    expect(parseDateTime('')).toBeUndefined();
    expect(parseDateTime('31/31/2024')).toBeUndefined();
    expect(parseDateTime('2024-02-30', { format: 'yyyy-MM-dd' })).toBeUndefined();
  });
  it('moves wall clocks across a daylight-saving change', () => {
    const before = DateTime.fromISO('2024-03-31T01:30').toJSDate();
    expect(formatDateTime(convertWallClock(before, 'UTC', 'Europe/London'), 'HH:mm')).toBe('02:30');
    const after = DateTime.fromISO('2024-03-30T01:30').toJSDate();
    expect(formatDateTime(convertWallClock(after, 'UTC', 'Europe/London'), 'HH:mm')).toBe('01:30');
  });
});
