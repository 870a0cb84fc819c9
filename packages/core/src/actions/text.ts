/**
 * Text actions: append, split, join, replace, trim, change case, pad,
 * subtext, parse (find), escape for regex and random text. Conversions to and
 * from numbers and datetimes live in `text-convert.ts`.
 */
import type { ActionDefinition } from '../contracts.js';
import { formatValue } from '../expressions/index.js';
import { bool, int, list, option, paramError, text, type Params } from './variables-params.js';
import { compileRegex, escapeRegex, replacementForRegex, unescapeSequences } from './text-regex.js';
import { textConvertActions } from './text-convert.js';
import { textCropActions } from './text-crop.js';
import { changeCase, randomText } from './text-case.js';

const textParam = { name: 'text', type: 'text', displayName: 'Text', required: true } as const;

const STANDARD_DELIMITERS = { space: ' ', tab: '\t', newline: '\n' } as const;
type StandardDelimiter = keyof typeof STANDARD_DELIMITERS;
const delimiterOptions = [
  { value: 'space', title: 'Space' },
  { value: 'tab', title: 'Tab' },
  { value: 'newline', title: 'New line' },
] as const;

function splitText(p: Params): string[] {
  const t = text(p, 'text');
  if (option(p, 'separatorType', ['standard', 'custom'], 'standard') === 'standard') {
    const which = option<StandardDelimiter>(p, 'standardDelimiter', ['space', 'tab', 'newline'], 'newline');
    const times = int(p, 'times', 1);
    if (times < 1 || times > 1000)
      throw paramError(
        'times',
        `${times} is out of range.`,
        'Give how many delimiters in a row separate items, from 1 to 1000.',
      );
    const unit = which === 'newline' ? '(?:\\r\\n|\\r|\\n)' : escapeRegex(STANDARD_DELIMITERS[which]);
    return t.split(new RegExp(`${unit}{${times}}`));
  }
  const custom = text(p, 'customDelimiter');
  if (custom === '')
    throw paramError('customDelimiter', 'the delimiter is empty.', 'Give the text that separates items, e.g. a comma.');
  if (bool(p, 'isRegex')) return t.split(compileRegex(custom, { param: 'customDelimiter' })).map((s) => s ?? '');
  return t.split(custom);
}

function findAll(p: Params): { positions: number[]; matches: string[]; first: boolean } {
  const t = text(p, 'text');
  const find = text(p, 'find');
  if (find === '') throw paramError('find', 'the text to find is empty.', 'Give the text (or pattern) to look for.');
  const start = int(p, 'startPosition', 0);
  if (start < 0 || start > t.length)
    throw paramError(
      'startPosition',
      `${start} is outside the text, which has ${t.length} character(s).`,
      `Use a position from 0 to ${t.length}.`,
    );
  const re = compileRegex(bool(p, 'isRegex') ? find : escapeRegex(find), {
    param: 'find',
    ignoreCase: bool(p, 'ignoreCase'),
  });
  const first = bool(p, 'firstOccurrenceOnly', true);
  const positions: number[] = [];
  const matches: string[] = [];
  re.lastIndex = start;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    positions.push(m.index);
    matches.push(m[0]);
    if (first) break;
    if (m[0] === '') re.lastIndex++;
  }
  return { positions, matches, first };
}

export const textActions: ActionDefinition[] = [
  {
    id: 'Text.AppendLine',
    group: 'Text',
    displayName: 'Append line to text',
    description: 'Adds a line at the end of a text.',
    params: [
      { name: 'text', type: 'text', displayName: 'Original text', default: '' },
      { name: 'line', type: 'text', displayName: 'Line to append', default: '' },
    ],
    produces: [{ key: 'result', defaultName: 'Result', type: 'text' }],
    run(_ctx, p) {
      const t = text(p, 'text');
      return { result: t === '' ? text(p, 'line') : `${t}\n${text(p, 'line')}` };
    },
  },
  {
    id: 'Text.Split',
    group: 'Text',
    displayName: 'Split text',
    description:
      'Splits a text into a list at a standard delimiter (space, tab, new line), a custom one or a regular expression.',
    params: [
      { name: 'text', type: 'text', displayName: 'Text to split', required: true },
      {
        name: 'separatorType',
        type: 'text',
        displayName: 'Delimiter type',
        default: 'standard',
        options: [
          { value: 'standard', title: 'Standard' },
          { value: 'custom', title: 'Custom' },
        ],
      },
      {
        name: 'standardDelimiter',
        type: 'text',
        displayName: 'Standard delimiter',
        default: 'newline',
        options: delimiterOptions,
      },
      {
        name: 'times',
        type: 'number',
        displayName: 'Times',
        description: 'How many standard delimiters in a row separate two items.',
        default: 1,
      },
      { name: 'customDelimiter', type: 'text', displayName: 'Custom delimiter' },
      { name: 'isRegex', type: 'boolean', displayName: 'Is regular expression', default: false },
    ],
    produces: [{ key: 'list', defaultName: 'TextList', type: 'list' }],
    run(_ctx, p) {
      return { list: splitText(p) };
    },
  },
  {
    id: 'Text.Join',
    group: 'Text',
    displayName: 'Join text',
    description: 'Joins the items of a list into one text, with a delimiter between them.',
    params: [
      { name: 'list', type: 'list', displayName: 'List to join', required: true },
      {
        name: 'separatorType',
        type: 'text',
        displayName: 'Delimiter type',
        default: 'standard',
        options: [
          { value: 'standard', title: 'Standard' },
          { value: 'custom', title: 'Custom' },
        ],
      },
      {
        name: 'standardDelimiter',
        type: 'text',
        displayName: 'Standard delimiter',
        default: 'newline',
        options: [{ value: 'none', title: 'None' }, ...delimiterOptions],
      },
      { name: 'times', type: 'number', displayName: 'Times', default: 1 },
      { name: 'customDelimiter', type: 'text', displayName: 'Custom delimiter', default: '' },
    ],
    produces: [{ key: 'text', defaultName: 'JoinedText', type: 'text' }],
    run(_ctx, p) {
      const items = list(p, 'list').map(formatValue);
      if (option(p, 'separatorType', ['standard', 'custom'], 'standard') === 'custom')
        return { text: items.join(text(p, 'customDelimiter')) };
      const which = option(p, 'standardDelimiter', ['none', 'space', 'tab', 'newline'], 'newline');
      const times = int(p, 'times', 1);
      if (times < 1 || times > 1000) throw paramError('times', `${times} is out of range.`, 'Give from 1 to 1000.');
      return { text: items.join(which === 'none' ? '' : STANDARD_DELIMITERS[which].repeat(times)) };
    },
  },
  {
    id: 'Text.Replace',
    group: 'Text',
    displayName: 'Replace text',
    description:
      'Replaces every occurrence of a text or a regular expression; with a regular expression, $1 or ${name} in the replacement insert groups.',
    params: [
      textParam,
      { name: 'find', type: 'text', displayName: 'Text to find', required: true },
      { name: 'isRegex', type: 'boolean', displayName: 'Use regular expressions for find and replace', default: false },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore case', default: false },
      { name: 'replaceWith', type: 'text', displayName: 'Replace with', default: '' },
      {
        name: 'escapeSequences',
        type: 'boolean',
        displayName: 'Activate escape sequences',
        description: '\\n, \\t, \\r and \\\\ in the find and replace texts.',
        default: false,
        advanced: true,
      },
    ],
    produces: [{ key: 'text', defaultName: 'Replaced', type: 'text' }],
    run(_ctx, p) {
      const esc = bool(p, 'escapeSequences');
      let find = text(p, 'find');
      let replaceWith = text(p, 'replaceWith');
      if (esc) {
        find = unescapeSequences(find);
        replaceWith = unescapeSequences(replaceWith);
      }
      if (find === '') throw paramError('find', 'the text to find is empty.', 'Give the text (or pattern) to replace.');
      const regex = bool(p, 'isRegex');
      const re = compileRegex(regex ? find : escapeRegex(find), { param: 'find', ignoreCase: bool(p, 'ignoreCase') });
      const t = text(p, 'text');
      return { text: regex ? t.replace(re, replacementForRegex(replaceWith)) : t.replace(re, () => replaceWith) };
    },
  },
  {
    id: 'Text.Trim',
    group: 'Text',
    displayName: 'Trim text',
    description: 'Removes white space from the start, the end or both ends of a text.',
    params: [
      textParam,
      {
        name: 'what',
        type: 'text',
        displayName: 'What to trim',
        default: 'both',
        options: [
          { value: 'start', title: 'Whitespace characters from the beginning' },
          { value: 'end', title: 'Whitespace characters from the end' },
          { value: 'both', title: 'Whitespace characters from the beginning and end' },
        ],
      },
    ],
    produces: [{ key: 'text', defaultName: 'TrimmedText', type: 'text' }],
    run(_ctx, p) {
      const t = text(p, 'text');
      const what = option(p, 'what', ['start', 'end', 'both'], 'both');
      return { text: what === 'start' ? t.trimStart() : what === 'end' ? t.trimEnd() : t.trim() };
    },
  },
  {
    id: 'Text.ChangeCase',
    group: 'Text',
    displayName: 'Change text case',
    description: 'Changes a text to upper case, lower case, title case or sentence case.',
    params: [
      textParam,
      {
        name: 'case',
        type: 'text',
        displayName: 'Convert text to',
        default: 'upper',
        options: [
          { value: 'upper', title: 'Upper case' },
          { value: 'lower', title: 'Lower case' },
          { value: 'title', title: 'Title case' },
          { value: 'sentence', title: 'Sentence case' },
        ],
      },
    ],
    produces: [{ key: 'text', defaultName: 'TextWithChangedCase', type: 'text' }],
    run(_ctx, p) {
      return { text: changeCase(text(p, 'text'), option(p, 'case', ['upper', 'lower', 'title', 'sentence'], 'upper')) };
    },
  },
  {
    id: 'Text.Pad',
    group: 'Text',
    displayName: 'Pad text',
    description: 'Pads a text on the left or the right to a total length.',
    params: [
      { name: 'text', type: 'text', displayName: 'Text to pad', default: '' },
      {
        name: 'side',
        type: 'text',
        displayName: 'Pad',
        default: 'left',
        options: [
          { value: 'left', title: 'To the left' },
          { value: 'right', title: 'To the right' },
        ],
      },
      { name: 'padText', type: 'text', displayName: 'Text for padding', default: ' ' },
      { name: 'totalLength', type: 'number', displayName: 'Total length', required: true },
    ],
    produces: [{ key: 'text', defaultName: 'PaddedText', type: 'text' }],
    run(_ctx, p) {
      const t = text(p, 'text');
      const pad = text(p, 'padText', ' ');
      if (pad === '')
        throw paramError('padText', 'the padding text is empty.', 'Give at least one character, e.g. 0 or a space.');
      const total = int(p, 'totalLength');
      if (total < 0 || total > 1_000_000)
        throw paramError('totalLength', `${total} is out of range.`, 'Use a length from 0 to 1,000,000.');
      return {
        text: option(p, 'side', ['left', 'right'], 'left') === 'left' ? t.padStart(total, pad) : t.padEnd(total, pad),
      };
    },
  },
  {
    id: 'Text.GetSubtext',
    group: 'Text',
    displayName: 'Get subtext',
    description:
      'Gets part of a text: from a character position (counting from 0), up to the end or for a number of characters.',
    params: [
      { name: 'text', type: 'text', displayName: 'Original text', required: true },
      {
        name: 'startIndex',
        type: 'number',
        displayName: 'Character position',
        description: 'Counts from 0.',
        default: 0,
      },
      {
        name: 'lengthMode',
        type: 'text',
        displayName: 'Length',
        default: 'end',
        options: [
          { value: 'end', title: 'End of text' },
          { value: 'count', title: 'Number of chars' },
        ],
      },
      { name: 'length', type: 'number', displayName: 'Number of chars' },
    ],
    produces: [{ key: 'text', defaultName: 'Subtext', type: 'text' }],
    run(_ctx, p) {
      const t = text(p, 'text');
      const start = int(p, 'startIndex', 0);
      if (start < 0 || start > t.length)
        throw paramError(
          'startIndex',
          `position ${start} is outside the text, which has ${t.length} character(s).`,
          `Use a position from 0 to ${t.length}.`,
        );
      if (option(p, 'lengthMode', ['end', 'count'], 'end') === 'end') return { text: t.slice(start) };
      const n = int(p, 'length');
      if (n < 0 || start + n > t.length)
        throw paramError(
          'length',
          `${n} character(s) from position ${start} go past the end of the text (${t.length} characters).`,
          `Use at most ${t.length - start}, or choose "End of text".`,
        );
      return { text: t.slice(start, start + n) };
    },
  },
  {
    id: 'Text.ParseText',
    group: 'Text',
    displayName: 'Parse text',
    description:
      'Finds a text or a regular expression in a text: the position (from 0) and the matched text of the first or of every occurrence.',
    params: [
      { name: 'text', type: 'text', displayName: 'Text to parse', required: true },
      { name: 'find', type: 'text', displayName: 'Text to find', required: true },
      { name: 'isRegex', type: 'boolean', displayName: 'Is regular expression', default: false },
      { name: 'startPosition', type: 'number', displayName: 'Start parsing at position', default: 0 },
      { name: 'firstOccurrenceOnly', type: 'boolean', displayName: 'First occurrence only', default: true },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore case', default: false },
    ],
    produces: [
      {
        key: 'position',
        defaultName: 'Position',
        type: 'any',
        description: 'The first position (-1 when not found), or the list of every position.',
      },
      {
        key: 'match',
        defaultName: 'Match',
        type: 'any',
        description: 'The first match (empty when not found), or the list of every match.',
      },
    ],
    run(_ctx, p) {
      const r = findAll(p);
      if (r.first)
        return { position: r.positions.length ? r.positions[0] : -1, match: r.matches.length ? r.matches[0] : '' };
      return { position: r.positions, match: r.matches };
    },
  },
  {
    id: 'Text.EscapeTextForRegex',
    group: 'Text',
    displayName: 'Escape text for regular expression',
    description: 'Escapes the characters that have a meaning in a regular expression, so the text matches literally.',
    params: [{ name: 'text', type: 'text', displayName: 'Text to escape', default: '' }],
    produces: [{ key: 'text', defaultName: 'EscapedText', type: 'text' }],
    run(_ctx, p) {
      return { text: escapeRegex(text(p, 'text')) };
    },
  },
  {
    id: 'Text.CreateRandomText',
    group: 'Text',
    displayName: 'Create random text',
    description: 'Creates random text from upper-case letters, lower-case letters, digits and symbols.',
    params: [
      { name: 'length', type: 'number', displayName: 'Length', default: 8 },
      { name: 'uppercase', type: 'boolean', displayName: 'Use upper-case letters', default: true },
      { name: 'lowercase', type: 'boolean', displayName: 'Use lower-case letters', default: true },
      { name: 'digits', type: 'boolean', displayName: 'Use digits', default: true },
      { name: 'symbols', type: 'boolean', displayName: 'Use symbols', default: false },
    ],
    produces: [{ key: 'text', defaultName: 'RandomText', type: 'text' }],
    run(_ctx, p) {
      const length = int(p, 'length', 8);
      if (length < 1 || length > 100_000)
        throw paramError('length', `${length} is out of range.`, 'Use a length from 1 to 100,000.');
      return {
        text: randomText(length, {
          uppercase: bool(p, 'uppercase', true),
          lowercase: bool(p, 'lowercase', true),
          digits: bool(p, 'digits', true),
          symbols: bool(p, 'symbols'),
        }),
      };
    },
  },
  ...textConvertActions,
  ...textCropActions,
];
