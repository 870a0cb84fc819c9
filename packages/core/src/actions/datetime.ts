/**
 * Date time actions: now, add, subtract (difference), convert time zone,
 * parse and format. The time comes from `ctx.clock`, never from the machine
 * directly, so runs and tests see one clock. How datetimes and time zones
 * behave is described in `datetime-format.ts`.
 */
import { DateTime, type DurationLikeObject } from 'luxon';
import type { ActionDefinition } from '../contracts.js';
import { date, failed, num, option, paramError, text } from './variables-params.js';
import { convertWallClock, formatDateTime, timeZone } from './datetime-format.js';
import { readDateTime } from './text-convert.js';

const ADD_UNITS = ['milliseconds', 'seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;
const DIFF_UNITS = { milliseconds: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
type DiffUnit = keyof typeof DIFF_UNITS;

const zoneDescription = "An IANA time zone such as Europe/Paris or America/New_York, UTC, or local (this machine's).";

export const datetimeActions: ActionDefinition[] = [
  {
    id: 'DateTime.GetCurrentDateTime',
    group: 'Date time',
    displayName: 'Get current date and time',
    description: 'Gets the current date and time, or only the date, in the local time zone or another one.',
    params: [
      {
        name: 'retrieve',
        type: 'text',
        displayName: 'Retrieve',
        default: 'dateAndTime',
        options: [
          { value: 'dateAndTime', title: 'Current date and time' },
          { value: 'dateOnly', title: 'Current date only' },
        ],
      },
      { name: 'timeZone', type: 'text', displayName: 'Time zone', description: zoneDescription, default: 'local' },
    ],
    produces: [{ key: 'dateTime', defaultName: 'CurrentDateTime', type: 'datetime' }],
    run(ctx, p) {
      const zone = timeZone(text(p, 'timeZone', 'local'), 'timeZone');
      const now = zone === 'local' ? ctx.clock.now() : convertWallClock(ctx.clock.now(), 'local', zone);
      const dateOnly = option(p, 'retrieve', ['dateAndTime', 'dateOnly'], 'dateAndTime') === 'dateOnly';
      return { dateTime: dateOnly ? DateTime.fromJSDate(now).startOf('day').toJSDate() : now };
    },
  },
  {
    id: 'DateTime.Add',
    group: 'Date time',
    displayName: 'Add to datetime',
    description:
      'Adds (or, with a negative amount, subtracts) seconds, minutes, hours, days, weeks, months or years to a datetime. Days and longer keep the wall-clock time across daylight-saving changes.',
    params: [
      { name: 'dateTime', type: 'datetime', displayName: 'Datetime', required: true },
      { name: 'amount', type: 'number', displayName: 'Add', required: true },
      {
        name: 'unit',
        type: 'text',
        displayName: 'Time unit',
        default: 'days',
        options: ADD_UNITS.map((u) => ({ value: u, title: u[0].toUpperCase() + u.slice(1) })),
      },
    ],
    produces: [{ key: 'dateTime', defaultName: 'ResultedDate', type: 'datetime' }],
    run(_ctx, p) {
      const d = date(p, 'dateTime');
      const amount = num(p, 'amount');
      const unit = option(p, 'unit', ADD_UNITS, 'days');
      if ((unit === 'months' || unit === 'years') && !Number.isInteger(amount))
        throw paramError(
          'amount',
          `${amount} ${unit} is not a whole number of ${unit}.`,
          `Add whole ${unit}, or use days for fractions.`,
        );
      const start = DateTime.fromJSDate(d);
      const units: DurationLikeObject = {};
      if (unit === 'days' || unit === 'weeks') {
        // Calendar days keep the wall clock; the fraction of a day is added as exact time.
        const days = amount * (unit === 'weeks' ? 7 : 1);
        units.days = Math.trunc(days);
        units.milliseconds = Math.round((days - Math.trunc(days)) * 86_400_000);
      } else {
        units[unit] = amount;
      }
      const result = start.plus(units);
      if (!result.isValid || Number.isNaN(result.toMillis()))
        throw failed(`Adding ${amount} ${unit} goes beyond the dates Patchbay can hold.`, 'Use a smaller amount.');
      return { dateTime: result.toJSDate() };
    },
  },
  {
    id: 'DateTime.Subtract',
    group: 'Date time',
    displayName: 'Subtract dates',
    description:
      'The difference between two datetimes (the first minus the second) in seconds, minutes, hours or days, with any fraction kept.',
    params: [
      { name: 'fromDate', type: 'datetime', displayName: 'From date', required: true },
      { name: 'subtractDate', type: 'datetime', displayName: 'Date to subtract', required: true },
      {
        name: 'unit',
        type: 'text',
        displayName: 'Get difference in',
        default: 'days',
        options: [
          { value: 'seconds', title: 'Seconds' },
          { value: 'minutes', title: 'Minutes' },
          { value: 'hours', title: 'Hours' },
          { value: 'days', title: 'Days' },
          { value: 'milliseconds', title: 'Milliseconds' },
        ],
      },
    ],
    produces: [{ key: 'difference', defaultName: 'TimeDifference', type: 'number' }],
    run(_ctx, p) {
      const ms = date(p, 'fromDate').getTime() - date(p, 'subtractDate').getTime();
      const unit = option<DiffUnit>(p, 'unit', ['seconds', 'minutes', 'hours', 'days', 'milliseconds'], 'days');
      return { difference: ms / DIFF_UNITS[unit] + 0 };
    },
  },
  {
    id: 'DateTime.ConvertTimeZone',
    group: 'Date time',
    displayName: 'Convert time zone',
    description:
      'Converts a datetime from one time zone to another: the result shows the wall-clock time of the target zone.',
    params: [
      { name: 'dateTime', type: 'datetime', displayName: 'Datetime', required: true },
      {
        name: 'sourceTimeZone',
        type: 'text',
        displayName: 'Source time zone',
        description: zoneDescription,
        default: 'local',
      },
      {
        name: 'targetTimeZone',
        type: 'text',
        displayName: 'Target time zone',
        description: zoneDescription,
        required: true,
      },
    ],
    produces: [{ key: 'dateTime', defaultName: 'ConvertedDateTime', type: 'datetime' }],
    run(_ctx, p) {
      const from = timeZone(text(p, 'sourceTimeZone', 'local'), 'sourceTimeZone');
      if (text(p, 'targetTimeZone').trim() === '')
        throw paramError(
          'targetTimeZone',
          'a time zone is required.',
          'Give an IANA name such as Europe/Paris, or UTC.',
        );
      const to = timeZone(text(p, 'targetTimeZone'), 'targetTimeZone');
      return { dateTime: convertWallClock(date(p, 'dateTime'), from, to) };
    },
  },
  {
    id: 'DateTime.Parse',
    group: 'Date time',
    displayName: 'Parse datetime',
    description:
      'Reads a datetime from text written in a given time zone (text with an offset or Z keeps its own), with an optional custom format.',
    params: [
      { name: 'text', type: 'text', displayName: 'Text', required: true },
      {
        name: 'format',
        type: 'text',
        displayName: 'Custom format',
        description: 'Optional, .NET-style, e.g. dd/MM/yyyy HH:mm. Empty: ISO 8601 and common forms.',
      },
      {
        name: 'timeZone',
        type: 'text',
        displayName: 'Time zone of the text',
        description: zoneDescription,
        default: 'local',
      },
    ],
    produces: [{ key: 'dateTime', defaultName: 'ParsedDateTime', type: 'datetime' }],
    run(_ctx, p) {
      const zone = timeZone(text(p, 'timeZone', 'local'), 'timeZone');
      return { dateTime: readDateTime(text(p, 'text'), text(p, 'format').trim(), zone) };
    },
  },
  {
    id: 'DateTime.Format',
    group: 'Date time',
    displayName: 'Format datetime',
    description: 'Writes a datetime as text with a custom format, as shown in a given time zone.',
    params: [
      { name: 'dateTime', type: 'datetime', displayName: 'Datetime', required: true },
      {
        name: 'format',
        type: 'text',
        displayName: 'Format',
        description: '.NET-style, e.g. yyyy-MM-dd HH:mm:ss or dddd, MMMM d.',
        default: 'yyyy-MM-dd HH:mm:ss',
      },
      {
        name: 'timeZone',
        type: 'text',
        displayName: 'Show in time zone',
        description: zoneDescription,
        default: 'local',
      },
    ],
    produces: [{ key: 'text', defaultName: 'FormattedDateTime', type: 'text' }],
    run(_ctx, p) {
      const format = text(p, 'format', 'yyyy-MM-dd HH:mm:ss');
      if (format.trim() === '')
        throw paramError('format', 'the format is empty.', 'Give a format such as yyyy-MM-dd HH:mm:ss.');
      return { text: formatDateTime(date(p, 'dateTime'), format, timeZone(text(p, 'timeZone', 'local'), 'timeZone')) };
    },
  },
];
