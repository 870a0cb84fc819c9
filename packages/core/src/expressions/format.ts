/**
 * How a value reads inside text, as Power Automate for desktop shows it:
 * numbers without trailing zeros (at most 15 significant digits, so
 * `0.1 + 0.2` reads `0.3`), booleans `True` / `False`, datetimes in local time
 * as `yyyy-MM-dd HH:mm:ss` (milliseconds only when present), lists one item a
 * line, custom objects as compact JSON, binary data as base64, blank as ''.
 */
import { DataRow, DataTable, type Value } from '../values.js';

function expandExponent(s: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const point = Number(m[4]) + 1;
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n === 0 ? 0 : n);
  if (!Number.isFinite(n)) return String(n);
  const s = String(Number(n.toPrecision(15)));
  return s.includes('e') ? expandExponent(s) : s;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const ms = d.getMilliseconds();
  const base = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return ms ? `${base}.${pad(ms, 3)}` : base;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Base64 to bytes, or undefined when the text is not well-formed base64. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  const bin = atob(t);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A value as plain JSON data (datetimes as ISO 8601, binary as base64, data tables as `{columns, rows}`, data rows as objects). */
export function toJsonData(v: Value): unknown {
  if (v instanceof DataTable) return { columns: [...v.columns], rows: v.rows.map((r) => r.map(toJsonData)) };
  if (v instanceof DataRow) {
    const out: Record<string, unknown> = {};
    v.columns.forEach((c, i) => (out[c] = toJsonData(v.values[i] ?? null)));
    return out;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return bytesToBase64(v);
  if (Array.isArray(v)) return v.map(toJsonData);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = toJsonData(v[k]);
    return out;
  }
  return v;
}

function formatCell(c: Value | undefined): string {
  return c !== null && c !== undefined && typeof c === 'object' && !(c instanceof Date) && !(c instanceof Uint8Array)
    ? JSON.stringify(toJsonData(c))
    : formatValue(c ?? null);
}

export function formatValue(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return '';
  if (v instanceof Date) return formatDateTime(v);
  if (v instanceof Uint8Array) return bytesToBase64(v);
  if (v instanceof DataTable)
    return [v.columns.join(', '), ...v.rows.map((r) => r.map((c) => formatCell(c)).join(', '))].join('\n');
  if (v instanceof DataRow) return v.values.map((c) => formatCell(c)).join(', ');
  if (Array.isArray(v))
    return v
      .map((item) =>
        item !== null &&
        typeof item === 'object' &&
        !(item instanceof Date) &&
        !(item instanceof Uint8Array) &&
        !(item instanceof DataRow)
          ? JSON.stringify(toJsonData(item))
          : formatValue(item),
      )
      .join('\n');
  return JSON.stringify(toJsonData(v));
}
