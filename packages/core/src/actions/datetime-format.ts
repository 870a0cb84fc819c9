/**
 * Datetime text: formatting and parsing with Power Automate for desktop's
 * (.NET's) custom format strings — `yyyy-MM-dd HH:mm:ss`, `dddd, MMMM d`,
 * `h:mm tt` — and its standard formats, over luxon (which runs in the
 * browser too). .NET tokens are translated to luxon's; everything else in a
 * format is literal text.
 *
 * A datetime value is an instant shown in the run's local time zone (as the
 * expression language shows it). Actions that take a time zone move the wall
 * clock, as PAD's "Convert time zone" does: the result shows, in local time,
 * the wall-clock time of the target zone.
 */
import { DateTime } from 'luxon';
import { paramError } from './variables-params.js';

const LOCALE = 'en-US';

function quote(literal: string): string {
  return literal === '' ? '' : `'${literal.replace(/'/g, "''")}'`;
}

function tokenFor(letter: string, n: number): string | undefined {
  switch (letter) {
    case 'y':
      return n >= 3 ? 'yyyy' : 'yy';
    case 'M':
      return n >= 4 ? 'MMMM' : n === 3 ? 'MMM' : n === 2 ? 'MM' : 'M';
    case 'd':
      return n >= 4 ? 'EEEE' : n === 3 ? 'EEE' : n === 2 ? 'dd' : 'd';
    case 'H':
      return n >= 2 ? 'HH' : 'H';
    case 'h':
      return n >= 2 ? 'hh' : 'h';
    case 'm':
      return n >= 2 ? 'mm' : 'm';
    case 's':
      return n >= 2 ? 'ss' : 's';
    case 'f':
    case 'F':
      return n === 1 ? 'uuu' : n === 2 ? 'uu' : 'SSS' + (n > 3 ? quote('0'.repeat(n - 3)) : '');
    case 't':
      return 'a';
    case 'z':
      return n === 1 ? 'Z' : 'ZZ';
    case 'K':
      return 'ZZ';
    case 'g':
      return 'G';
    default:
      return undefined;
  }
}

/** A .NET custom date and time format as a luxon format string. */
export function dotnetToLuxon(format: string): string {
  let out = '';
  let literal = '';
  for (let i = 0; i < format.length;) {
    const c = format[i];
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      literal += end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (c === '\\' && i + 1 < format.length) {
      literal += format[i + 1];
      i += 2;
      continue;
    }
    let n = 1;
    while (format[i + n] === c) n++;
    const token = tokenFor(c, n);
    if (token === undefined) {
      literal += format.slice(i, i + n);
    } else {
      out += quote(literal) + token;
      literal = '';
    }
    i += n;
  }
  return out + quote(literal);
}

/** PAD's standard datetime formats (en-US), as .NET custom formats; `iso8601` is Patchbay's addition. */
export const STANDARD_FORMATS = {
  shortDate: 'M/d/yyyy',
  longDate: 'dddd, MMMM d, yyyy',
  shortTime: 'h:mm tt',
  longTime: 'h:mm:ss tt',
  fullDateTimeShortTime: 'dddd, MMMM d, yyyy h:mm tt',
  fullDateTimeLongTime: 'dddd, MMMM d, yyyy h:mm:ss tt',
  generalDateTimeShortTime: 'M/d/yyyy h:mm tt',
  generalDateTimeLongTime: 'M/d/yyyy h:mm:ss tt',
  sortableDateTime: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  iso8601: "yyyy-MM-dd'T'HH:mm:ss.fffK",
} as const;
export type StandardFormat = keyof typeof STANDARD_FORMATS;
export const STANDARD_FORMAT_NAMES = Object.keys(STANDARD_FORMATS) as StandardFormat[];

/** A time zone name (IANA such as Europe/Paris, UTC, UTC+2, or `local`), checked. */
export function timeZone(name: string, param: string): string {
  const z = name.trim() === '' ? 'local' : name.trim();
  if (!DateTime.now().setZone(z).isValid)
    throw paramError(
      param,
      `'${name}' is not a known time zone.`,
      'Use an IANA name such as Europe/Paris or America/New_York, UTC, or local.',
    );
  return z;
}

/** Formats a datetime with a .NET custom format, shown in `zone` (default local). */
export function formatDateTime(d: Date, format: string, zone = 'local'): string {
  return DateTime.fromJSDate(d, { zone }).setLocale(LOCALE).toFormat(dotnetToLuxon(format));
}

const AUTO_FORMATS = [
  'M/d/yyyy',
  'M/d/yyyy h:mm a',
  'M/d/yyyy h:mm:ss a',
  'M/d/yyyy H:mm',
  'M/d/yyyy H:mm:ss',
  'yyyy/M/d',
  'yyyy/M/d H:mm',
  'yyyy/M/d H:mm:ss',
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd h:mm a',
  'yyyy-MM-dd h:mm:ss a',
  'MMMM d, yyyy',
  'MMMM d, yyyy h:mm a',
  'MMMM d, yyyy h:mm:ss a',
  'MMM d, yyyy',
  'MMM d, yyyy h:mm a',
  'd MMMM yyyy',
  'd MMM yyyy',
  'd MMMM yyyy HH:mm',
  'd MMMM yyyy HH:mm:ss',
  'EEEE, MMMM d, yyyy',
  'EEEE, MMMM d, yyyy h:mm a',
  'EEEE, MMMM d, yyyy h:mm:ss a',
  'EEE, MMM d, yyyy',
  'h:mm a',
  'h:mm:ss a',
  'H:mm',
  'H:mm:ss',
];

function normalise(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\b(am|pm)\b/gi, (m) => m.toUpperCase());
}

/**
 * Reads a datetime from text: with a .NET custom format when one is given,
 * otherwise ISO 8601, `yyyy-MM-dd HH:mm:ss`, RFC 2822, HTTP dates and the
 * usual en-US forms (`3/10/2024 2:30 PM`, `March 10, 2024`). Text without an
 * offset is wall-clock time in `zone` (default local). Undefined when the
 * text does not read as a datetime.
 */
export function parseDateTime(text: string, opts: { format?: string; zone?: string } = {}): Date | undefined {
  const zone = opts.zone ?? 'local';
  const custom = opts.format !== undefined && opts.format !== '';
  const t = custom ? text.trim() : normalise(text);
  if (t === '') return undefined;
  const o = { zone, setZone: false, locale: LOCALE };
  if (custom) {
    const dt = DateTime.fromFormat(t, dotnetToLuxon(opts.format ?? ''), o);
    return dt.isValid ? dt.toJSDate() : undefined;
  }
  for (const dt of [
    DateTime.fromISO(t, o),
    DateTime.fromSQL(t, o),
    DateTime.fromRFC2822(t, o),
    DateTime.fromHTTP(t, o),
  ])
    if (dt.isValid) return dt.toJSDate();
  for (const f of AUTO_FORMATS) {
    const dt = DateTime.fromFormat(t, f, o);
    if (dt.isValid) return dt.toJSDate();
  }
  return undefined;
}

/**
 * Moves the wall clock from one zone to another, as PAD does: `d`'s local
 * wall-clock time is read as a time in `from`, converted to `to`, and the
 * result's wall-clock time is returned as a local datetime.
 */
export function convertWallClock(d: Date, from: string, to: string): Date {
  const wall = DateTime.fromJSDate(d).setZone(from, { keepLocalTime: true });
  return wall.setZone(to).setZone('local', { keepLocalTime: true }).toJSDate();
}
