/** Text.CropText and Text.Reverse, after PAD's "Crop text" and "Reverse text". */
import type { ActionDefinition } from '../contracts.js';
import { bool, option, paramError, text } from './variables-params.js';

function find(hay: string, needle: string, from: number, ignoreCase: boolean): number {
  return ignoreCase ? hay.toLowerCase().indexOf(needle.toLowerCase(), from) : hay.indexOf(needle, from);
}

export const textCropActions: ActionDefinition[] = [
  {
    id: 'Text.CropText',
    group: 'Text',
    displayName: 'Crop text',
    description:
      'Takes the text before a flag, after a flag, or between two flags. IsFlagFound tells whether the flags were found; when not, the cropped text is empty.',
    params: [
      { name: 'text', type: 'text', displayName: 'Original text', required: true },
      {
        name: 'mode',
        type: 'text',
        displayName: 'Get text',
        default: 'between',
        options: [
          { value: 'before', title: 'Before flag' },
          { value: 'after', title: 'After flag' },
          { value: 'between', title: 'Between flags' },
        ],
      },
      { name: 'startFlag', type: 'text', displayName: 'Start flag', description: 'For "after" and "between".' },
      { name: 'endFlag', type: 'text', displayName: 'End flag', description: 'For "before" and "between".' },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore case', default: false },
    ],
    produces: [
      { key: 'text', defaultName: 'CroppedText', type: 'text' },
      { key: 'found', defaultName: 'IsFlagFound', type: 'boolean' },
    ],
    run(_ctx, p) {
      const t = text(p, 'text');
      const mode = option(p, 'mode', ['before', 'after', 'between'], 'between');
      const ic = bool(p, 'ignoreCase');
      const start = text(p, 'startFlag');
      const end = text(p, 'endFlag');
      if (mode !== 'before' && start === '') throw paramError('startFlag', 'the start flag is empty.');
      if (mode !== 'after' && end === '') throw paramError('endFlag', 'the end flag is empty.');
      const none = { text: '', found: false };
      if (mode === 'before') {
        const i = find(t, end, 0, ic);
        return i < 0 ? none : { text: t.slice(0, i), found: true };
      }
      const s = find(t, start, 0, ic);
      if (s < 0) return none;
      const from = s + start.length;
      if (mode === 'after') return { text: t.slice(from), found: true };
      const e = find(t, end, from, ic);
      return e < 0 ? none : { text: t.slice(from, e), found: true };
    },
  },
  {
    id: 'Text.Reverse',
    group: 'Text',
    displayName: 'Reverse text',
    description: 'Reverses the characters of a text (whole characters, so emoji and accented letters stay intact).',
    params: [{ name: 'text', type: 'text', displayName: 'Text to reverse', required: true }],
    produces: [{ key: 'text', defaultName: 'ReversedText', type: 'text' }],
    run(_ctx, p) {
      const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      return {
        text: Array.from(segmenter.segment(text(p, 'text')), (x) => x.segment)
          .reverse()
          .join(''),
      };
    },
  },
];
