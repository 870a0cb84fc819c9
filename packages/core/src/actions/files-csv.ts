/** CSV files: File.ReadCsv and File.WriteCsv, through the Data module's CSV rules (`data-csv.ts`) and the file encodings. */
import { PatchbayError } from '../errors.js';
import type { ActionDefinition, ParamSpec } from '../contracts.js';
import { bool, option, text, type Params } from './variables-params.js';
import { csvDelimiter, csvRows, readCsvAs, writeCsv } from './data-csv.js';
import { TEXT_ENCODINGS, TEXT_ENCODING_VALUES, decodeText, encodeText } from './files-encoding.js';
import { existingFile, existingFolder, pathParam } from './files-paths.js';

const DELIMITER_NAMES = ['comma', 'semicolon', 'tab', 'pipe', 'custom'] as const;

const common: ParamSpec[] = [
  {
    name: 'file',
    type: 'any',
    displayName: 'File path',
    description: 'The path of the CSV file, or a file from Folder.GetFiles.',
    required: true,
  },
  {
    name: 'encoding',
    type: 'text',
    displayName: 'Encoding',
    default: 'utf-8',
    options: TEXT_ENCODINGS,
    advanced: true,
  },
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
];

function delimiterOf(p: Params): string {
  return csvDelimiter(option(p, 'delimiter', DELIMITER_NAMES, 'comma'), text(p, 'customDelimiter'));
}

const readCsv: ActionDefinition = {
  id: 'File.ReadCsv',
  group: 'File',
  displayName: 'Read from CSV file',
  description:
    "Reads a CSV file into a list of custom objects keyed by the first line's column names, or a list of lists of text.",
  params: [
    ...common,
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
  async run(ctx, p) {
    const path = pathParam(ctx, p, 'file');
    const encoding = option(p, 'encoding', TEXT_ENCODING_VALUES, 'utf-8');
    const delimiter = delimiterOf(p);
    await existingFile(ctx, 'file', path);
    const content = decodeText(await ctx.host.fs.readFile(path), encoding);
    try {
      return {
        table: readCsvAs(p, content, {
          delimiter,
          firstLineIsHeader: bool(p, 'firstLineIsHeader'),
          trim: bool(p, 'trim'),
        }),
      };
    } catch (e) {
      throw e instanceof PatchbayError ? e.at({ file: path }) : e;
    }
  },
};

const writeCsvFile: ActionDefinition = {
  id: 'File.WriteCsv',
  group: 'File',
  displayName: 'Write to CSV file',
  description: 'Writes a list of custom objects (with a header line) or a list of lists to a CSV file.',
  params: [
    {
      name: 'table',
      type: 'any',
      displayName: 'Variable to write to',
      description: 'A data table, a list of custom objects or a list of lists, e.g. %CSVTable%.',
      required: true,
    },
    ...common,
    { name: 'includeHeaders', type: 'boolean', displayName: 'Include column names', default: true },
    {
      name: 'ifFileExists',
      type: 'text',
      displayName: 'If file exists',
      default: 'overwrite',
      options: [
        { value: 'overwrite', title: 'Overwrite existing content' },
        { value: 'append', title: 'Append content' },
      ],
    },
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
  produces: [],
  async run(ctx, p) {
    const path = pathParam(ctx, p, 'file');
    const encoding = option(p, 'encoding', TEXT_ENCODING_VALUES, 'utf-8');
    const append = option(p, 'ifFileExists', ['overwrite', 'append'], 'overwrite') === 'append';
    const newline = option(p, 'newline', ['crlf', 'lf'], 'crlf') === 'lf' ? '\n' : '\r\n';
    const existing = await ctx.host.fs.stat(path);
    if (existing?.isDirectory) await existingFile(ctx, 'file', path);
    if (!existing) await existingFolder(ctx, 'file', ctx.host.path.parse(path).dir);
    const continuing = append && existing !== null && existing.size > 0;
    // Appending rows to a file that has them already: no second header line, no second byte order mark.
    const csv = writeCsv(csvRows(p, 'table'), {
      delimiter: delimiterOf(p),
      includeHeaders: !continuing && bool(p, 'includeHeaders', true),
      newline,
    });
    await ctx.host.fs.writeFile(path, encodeText(csv, encoding, { bom: !continuing }), { append });
  },
};

export const csvFileActions: ActionDefinition[] = [readCsv, writeCsvFile];
