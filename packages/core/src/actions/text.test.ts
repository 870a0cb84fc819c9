import { describe, expect, it } from 'vitest';
import { actionError, runAction } from './variables.test-support.js';

describe('Text actions', () => {
  it('appends lines', async () => {
    expect(await runAction('Text.AppendLine', { text: '', line: 'a' })).toEqual({ result: 'a' });
    expect(await runAction('Text.AppendLine', { text: 'a', line: 'b' })).toEqual({ result: 'a\nb' });
  });
  it('splits on standard, custom and regex delimiters', async () => {
    expect(await runAction('Text.Split', { text: 'a\r\nb\nc' })).toEqual({ list: ['a', 'b', 'c'] });
    expect(await runAction('Text.Split', { text: 'a  b c', standardDelimiter: 'space', times: 2 })).toEqual({
      list: ['a', 'b c'],
    });
    expect(await runAction('Text.Split', { text: 'a.b.c', separatorType: 'custom', customDelimiter: '.' })).toEqual({
      list: ['a', 'b', 'c'],
    });
    expect(
      await runAction('Text.Split', {
        text: 'a1b22c',
        separatorType: 'custom',
        customDelimiter: '\\d+',
        isRegex: true,
      }),
    ).toEqual({ list: ['a', 'b', 'c'] });
    expect(
      (await actionError('Text.Split', { text: 'x', separatorType: 'custom', customDelimiter: '[a-', isRegex: true }))
        .message,
    ).toBe("Parameter 'customDelimiter': '[a-' is not a valid regular expression (Unterminated character class).");
    expect((await actionError('Text.Split', { text: 'x', separatorType: 'custom', customDelimiter: '' })).message).toBe(
      "Parameter 'customDelimiter': the delimiter is empty.",
    );
  });
  it('joins lists of any values', async () => {
    expect(
      await runAction('Text.Join', { list: ['a', 1.5, true], separatorType: 'custom', customDelimiter: ', ' }),
    ).toEqual({ text: 'a, 1.5, True' });
    expect(await runAction('Text.Join', { list: ['a', 'b'], standardDelimiter: 'tab', times: 2 })).toEqual({
      text: 'a\t\tb',
    });
    expect((await actionError('Text.Join', { list: 'ab' })).message).toBe(
      "Parameter 'list': expected a list, got text.",
    );
    expect((await actionError('Text.Join', { list: ['a'], times: 1e9 })).message).toBe(
      "Parameter 'times': 1000000000 is out of range.",
    );
  });
  it('replaces plain text literally, and regexes with groups', async () => {
    expect(await runAction('Text.Replace', { text: 'a.b.A', find: 'a', replaceWith: '$1', ignoreCase: true })).toEqual({
      text: '$1.b.$1',
    });
    expect(
      await runAction('Text.Replace', {
        text: '2024-03-10',
        find: '(\\d+)-(\\d+)-(?<day>\\d+)',
        isRegex: true,
        replaceWith: '${day}/$2/$1',
      }),
    ).toEqual({ text: '10/03/2024' });
    expect(
      await runAction('Text.Replace', { text: 'a,b', find: ',', replaceWith: '\\n', escapeSequences: true }),
    ).toEqual({ text: 'a\nb' });
    const e = await actionError('Text.Replace', { text: 'x', find: '(?<n', isRegex: true });
    expect(e.code).toBe('action.param');
    expect(e.message).toMatch(/^Parameter 'find': '\(\?<n' is not a valid regular expression \(.+\)\.$/);
    expect(e.hint).toContain('Is regular expression');
  });
  it('trims, changes case and pads', async () => {
    expect(await runAction('Text.Trim', { text: '  a  ', what: 'start' })).toEqual({ text: 'a  ' });
    expect(await runAction('Text.Trim', { text: '  a  ' })).toEqual({ text: 'a' });
    expect(await runAction('Text.ChangeCase', { text: 'hello NASA wORLD', case: 'title' })).toEqual({
      text: 'Hello NASA World',
    });
    expect(await runAction('Text.ChangeCase', { text: 'HELLO. how ARE you? "fine"', case: 'sentence' })).toEqual({
      text: 'Hello. How are you? "Fine"',
    });
    expect(await runAction('Text.ChangeCase', { text: 'ß', case: 'upper' })).toEqual({ text: 'SS' });
    expect(await runAction('Text.Pad', { text: '42', padText: '0', totalLength: 5 })).toEqual({ text: '00042' });
    expect(await runAction('Text.Pad', { text: 'ab', side: 'right', padText: '-=', totalLength: 5 })).toEqual({
      text: 'ab-=-',
    });
    expect((await actionError('Text.Pad', { text: 'a', padText: '', totalLength: 3 })).message).toBe(
      "Parameter 'padText': the padding text is empty.",
    );
    expect((await actionError('Text.ChangeCase', { text: 'a', case: 'camel' })).message).toBe(
      "Parameter 'case': 'camel' is not one of 'upper', 'lower', 'title', 'sentence'.",
    );
  });
  it('gets subtext and says when it is out of range', async () => {
    expect(await runAction('Text.GetSubtext', { text: 'Patchbay', startIndex: 5 })).toEqual({ text: 'bay' });
    expect(
      await runAction('Text.GetSubtext', { text: 'Patchbay', startIndex: 0, lengthMode: 'count', length: 5 }),
    ).toEqual({ text: 'Patch' });
    expect((await actionError('Text.GetSubtext', { text: 'abc', startIndex: 4 })).message).toBe(
      "Parameter 'startIndex': position 4 is outside the text, which has 3 character(s).",
    );
    const e = await actionError('Text.GetSubtext', { text: 'abc', startIndex: 1, lengthMode: 'count', length: 3 });
    expect(e.message).toBe(
      "Parameter 'length': 3 character(s) from position 1 go past the end of the text (3 characters).",
    );
    expect(e.hint).toBe('Use at most 2, or choose "End of text".');
  });
  it('parses text for the first or every match', async () => {
    const t = 'id=12; id=7; ID=300';
    expect(await runAction('Text.ParseText', { text: t, find: 'id=\\d+', isRegex: true })).toEqual({
      position: 0,
      match: 'id=12',
    });
    expect(
      await runAction('Text.ParseText', {
        text: t,
        find: '\\d+',
        isRegex: true,
        firstOccurrenceOnly: false,
        startPosition: 5,
      }),
    ).toEqual({ position: [10, 16], match: ['7', '300'] });
    expect(
      await runAction('Text.ParseText', { text: t, find: 'id=', ignoreCase: true, firstOccurrenceOnly: false }),
    ).toEqual({ position: [0, 7, 13], match: ['id=', 'id=', 'ID='] });
    expect(await runAction('Text.ParseText', { text: t, find: '.' })).toEqual({ position: -1, match: '' });
    expect(
      await runAction('Text.ParseText', { text: 'ab', find: 'x*', isRegex: true, firstOccurrenceOnly: false }),
    ).toEqual({ position: [0, 1, 2], match: ['', '', ''] });
    expect((await actionError('Text.ParseText', { text: t, find: '*', isRegex: true })).message).toBe(
      "Parameter 'find': '*' is not a valid regular expression (Nothing to repeat).",
    );
  });
  it('escapes text for regular expressions so it matches literally', async () => {
    const raw = 'a.b*c (1+1) [x] $5 ^ | \\ {2} ?';
    const { text } = await runAction('Text.EscapeTextForRegex', { text: raw });
    expect(new RegExp(`^${String(text)}$`).test(raw)).toBe(true);
    expect(new RegExp(`^${String(text)}$`).test(raw.replace('.', 'x'))).toBe(false);
  });
  it('creates random text from the chosen characters', async () => {
    const { text } = await runAction('Text.CreateRandomText', {
      length: 300,
      uppercase: false,
      lowercase: false,
      digits: true,
    });
    expect(text).toMatch(/^[0-9]{300}$/);
    expect(new Set(String(text)).size).toBe(10);
    expect(
      (await actionError('Text.CreateRandomText', { uppercase: false, lowercase: false, digits: false })).message,
    ).toBe("Parameter 'uppercase': no kind of character is chosen.");
  });
});
