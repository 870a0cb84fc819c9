/**
 * Text conversions: text to number and back (decimal places, thousands
 * separator), text to datetime and back (standard and custom formats).
 * Numbers are read and written in the invariant culture: '.' for decimals,
 * ',' between thousands.
 */
import type { ActionDefinition } from '../contracts.js';
import { bool, date, failed, int, num, option, paramError, text } from './variables-params.js';
import { roundHalfAwayFromZero } from './variables.js';
import {
  STANDARD_FORMATS,
  STANDARD_FORMAT_NAMES,
  formatDateTime,
  parseDateTime,
  type StandardFormat,
} from './datetime-format.js';

const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The number a text reads as: digits, an optional sign, '.' for decimals, ',' between thousands, an exponent. */
export function textToNumber(t: string): number | undefined {
  const s = t.trim();
  if (!NUMBER.test(s) || !/\d/.test(s.replace(/[eE].*$/, ''))) return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** A number as text with a fixed number of decimal places and, optionally, ',' between thousands. */
export function numberToText(n: number, decimals: number, thousands: boolean): string {
  const fixed = Math.abs(n) < 1e21 ? (roundHalfAwayFromZero(n, decimals) + 0).toFixed(decimals) : String(n);
  if (!thousands) return fixed;
  const [whole, frac] = fixed.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + digits + (frac === undefined ? '' : `.${frac}`);
}

const formatOptions = STANDARD_FORMAT_NAMES.map((value) => ({ value, title: `${value} (${STANDARD_FORMATS[value]})` }));

/** Text to datetime, shared with DateTime.Parse. */
export function readDateTime(t: string, format: string, zone?: string): Date {
  const d = parseDateTime(t, { format, zone });
  if (d) return d;
  if (format)
    throw failed(
      `The text does not match the format '${format}'.`,
      'Make the format match the text, e.g. dd/MM/yyyy HH:mm for 31/12/2024 18:30.',
    );
  throw failed(
    'The text is not a date and time Patchbay recognises.',
    'Give a custom format (e.g. dd/MM/yyyy HH:mm), or use ISO 8601 such as 2024-12-31T18:30:00.',
  );
}

export const textConvertActions: ActionDefinition[] = [
  {
    id: 'Text.ConvertTextToNumber',
    group: 'Text',
    displayName: 'Convert text to number',
    description: "Reads a number from text: digits with '.' for decimals and optional ',' between thousands.",
    params: [{ name: 'text', type: 'text', displayName: 'Text to convert', required: true }],
    produces: [{ key: 'number', defaultName: 'TextAsNumber', type: 'number' }],
    run(_ctx, p) {
      const t = text(p, 'text');
      const n = textToNumber(t);
      if (n === undefined)
        throw paramError(
          'text',
          'the text is not a number.',
          "Give digits with '.' for decimals, e.g. 1234.5 or 1,234.5.",
        );
      return { number: n };
    },
  },
  {
    id: 'Text.ConvertNumberToText',
    group: 'Text',
    displayName: 'Convert number to text',
    description: 'Writes a number as text with a number of decimal places and, optionally, a thousands separator.',
    params: [
      { name: 'number', type: 'number', displayName: 'Number to convert', required: true },
      { name: 'decimalPlaces', type: 'number', displayName: 'Decimal places', default: 2 },
      { name: 'thousandsSeparator', type: 'boolean', displayName: 'Use thousands separator', default: true },
    ],
    produces: [{ key: 'text', defaultName: 'FormattedNumber', type: 'text' }],
    run(_ctx, p) {
      const decimals = int(p, 'decimalPlaces', 2);
      if (decimals < 0 || decimals > 20)
        throw paramError('decimalPlaces', `${decimals} is out of range.`, 'Use 0 to 20 decimal places.');
      return { text: numberToText(num(p, 'number'), decimals, bool(p, 'thousandsSeparator', true)) };
    },
  },
  {
    id: 'Text.ConvertTextToDateTime',
    group: 'Text',
    displayName: 'Convert text to datetime',
    description:
      'Reads a datetime from text: ISO 8601, common forms such as 3/10/2024 2:30 PM, or a custom format such as dd/MM/yyyy HH:mm.',
    params: [
      { name: 'text', type: 'text', displayName: 'Text to convert', required: true },
      { name: 'customFormat', type: 'boolean', displayName: 'Date is represented in custom format', default: false },
      {
        name: 'format',
        type: 'text',
        displayName: 'Custom format',
        description: '.NET-style, e.g. yyyy-MM-dd HH:mm:ss, dd/MM/yyyy, MMMM d, yyyy h:mm tt.',
      },
    ],
    produces: [{ key: 'dateTime', defaultName: 'TextAsDateTime', type: 'datetime' }],
    run(_ctx, p) {
      const custom = bool(p, 'customFormat');
      const format = custom ? text(p, 'format') : '';
      if (custom && format.trim() === '')
        throw paramError(
          'format',
          'the custom format is empty.',
          'Give a format such as dd/MM/yyyy, or turn off the custom format.',
        );
      return { dateTime: readDateTime(text(p, 'text'), format) };
    },
  },
  {
    id: 'Text.ConvertDateTimeToText',
    group: 'Text',
    displayName: 'Convert datetime to text',
    description:
      'Writes a datetime as text in a standard format (short date, long time, sortable, ISO 8601, …) or a custom one.',
    params: [
      { name: 'dateTime', type: 'datetime', displayName: 'Datetime to convert', required: true },
      {
        name: 'formatType',
        type: 'text',
        displayName: 'Format type',
        default: 'standard',
        options: [
          { value: 'standard', title: 'Standard' },
          { value: 'custom', title: 'Custom' },
        ],
      },
      {
        name: 'standardFormat',
        type: 'text',
        displayName: 'Standard format',
        default: 'shortDate',
        options: formatOptions,
      },
      {
        name: 'format',
        type: 'text',
        displayName: 'Custom format',
        description: '.NET-style, e.g. yyyy-MM-dd HH:mm:ss or dddd, MMMM d.',
      },
    ],
    produces: [{ key: 'text', defaultName: 'FormattedDateTime', type: 'text' }],
    run(_ctx, p) {
      const d = date(p, 'dateTime');
      if (option(p, 'formatType', ['standard', 'custom'], 'standard') === 'standard') {
        return {
          text: formatDateTime(
            d,
            STANDARD_FORMATS[option<StandardFormat>(p, 'standardFormat', STANDARD_FORMAT_NAMES, 'shortDate')],
          ),
        };
      }
      const format = text(p, 'format');
      if (format.trim() === '')
        throw paramError(
          'format',
          'the custom format is empty.',
          'Give a format such as yyyy-MM-dd HH:mm:ss, or choose a standard format.',
        );
      return { text: formatDateTime(d, format) };
    },
  },
];
