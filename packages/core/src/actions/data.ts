/**
 * Data actions: JSON to custom object and back, CSV text to a table and
 * back. CSV rules live in `data-csv.ts`, JSON rules in `data-json.ts`.
 */
import type { ActionDefinition } from '../contracts.js';
import { bool, option, text } from './variables-params.js';
import { csvDelimiter, csvRows, readCsvAs, writeCsv } from './data-csv.js';
import { fromJsonText, toJsonText } from './data-json.js';

const delimiterParams = [
  {
    name: 'delimiter',
    type: 'text',
    displayName: 'Separator',
    default: 'comma',
    options: [
      { value: 'comma', title: 'Comma' },
      { value: 'semicolon', title: 'Semicolon' },
      { value: 'tab', title: 'Tab' },
      { value: 'pipe', title: 'Pipe (|)' },
      { value: 'custom', title: 'Custom' },
    ],
  },
  { name: 'customDelimiter', type: 'text', displayName: 'Custom separator' },
] as const;

const DELIMITER_NAMES = ['comma', 'semicolon', 'tab', 'pipe', 'custom'] as const;

export const dataActions: ActionDefinition[] = [
  {
    id: 'Data.ConvertJsonToCustomObject',
    group: 'Data',
    displayName: 'Convert JSON to custom object',
    description: 'Reads JSON text into a custom object (or a list, for a JSON array).',
    params: [{ name: 'json', type: 'text', displayName: 'JSON', required: true }],
    produces: [{ key: 'object', defaultName: 'JsonAsCustomObject', type: 'any' }],
    run(_ctx, p) {
      return { object: fromJsonText(text(p, 'json'), 'json') };
    },
  },
  {
    id: 'Data.ConvertCustomObjectToJson',
    group: 'Data',
    displayName: 'Convert custom object to JSON',
    description:
      'Writes a custom object, list or other value as JSON text (datetimes as ISO 8601, binary data as base64).',
    params: [
      { name: 'object', type: 'any', displayName: 'Custom object', required: true },
      {
        name: 'indent',
        type: 'boolean',
        displayName: 'Indent',
        description: 'Write one property a line, indented by two spaces.',
        default: false,
      },
    ],
    produces: [{ key: 'json', defaultName: 'CustomObjectAsJson', type: 'text' }],
    run(_ctx, p) {
      return { json: toJsonText(p.object ?? null, { indent: bool(p, 'indent'), param: 'object' }) };
    },
  },
  {
    id: 'Data.ReadCsvText',
    group: 'Data',
    displayName: 'Convert CSV text to table',
    description:
      "Reads CSV text (RFC 4180 quoting) into a list of custom objects keyed by the first line's column names, or a list of lists of text.",
    params: [
      { name: 'text', type: 'text', displayName: 'CSV text', required: true },
      ...delimiterParams,
      { name: 'firstLineIsHeader', type: 'boolean', displayName: 'First line contains column names', default: false },
      { name: 'trim', type: 'boolean', displayName: 'Trim fields', default: false, advanced: true },
      {
        name: 'readAs',
        type: 'text',
        displayName: 'Read as',
        default: 'datatable',
        options: [
          { value: 'datatable', title: 'Data table' },
          { value: 'list', title: 'List of custom objects (or of lists without a header)' },
        ],
        advanced: true,
      },
    ],
    produces: [{ key: 'table', defaultName: 'CSVTable', type: 'any' }],
    run(_ctx, p) {
      const delimiter = csvDelimiter(option(p, 'delimiter', DELIMITER_NAMES, 'comma'), text(p, 'customDelimiter'));
      return {
        table: readCsvAs(p, text(p, 'text'), {
          delimiter,
          firstLineIsHeader: bool(p, 'firstLineIsHeader'),
          trim: bool(p, 'trim'),
        }),
      };
    },
  },
  {
    id: 'Data.WriteCsvText',
    group: 'Data',
    displayName: 'Convert table to CSV text',
    description:
      'Writes a list of custom objects (with a header line) or a list of lists as CSV text, quoting fields that need it.',
    params: [
      {
        name: 'table',
        type: 'any',
        displayName: 'Table',
        description: 'A data table, a list of custom objects or a list of lists, e.g. %CSVTable%.',
        required: true,
      },
      ...delimiterParams,
      { name: 'includeHeaders', type: 'boolean', displayName: 'Include column names', default: true },
      {
        name: 'newline',
        type: 'text',
        displayName: 'Line ending',
        default: 'crlf',
        options: [
          { value: 'crlf', title: 'CRLF (Windows, RFC 4180)' },
          { value: 'lf', title: 'LF' },
        ],
        advanced: true,
      },
    ],
    produces: [{ key: 'text', defaultName: 'CSVText', type: 'text' }],
    run(_ctx, p) {
      const delimiter = csvDelimiter(option(p, 'delimiter', DELIMITER_NAMES, 'comma'), text(p, 'customDelimiter'));
      const newline = option(p, 'newline', ['crlf', 'lf'], 'crlf') === 'lf' ? '\n' : '\r\n';
      return {
        text: writeCsv(csvRows(p, 'table'), { delimiter, includeHeaders: bool(p, 'includeHeaders', true), newline }),
      };
    },
  },
];
