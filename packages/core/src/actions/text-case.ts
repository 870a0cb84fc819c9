/**
 * Text case changes (PAD's upper, lower, title and sentence case) and random
 * text.
 */
import { paramError } from './variables-params.js';

/**
 * Title case as .NET's `TextInfo.ToTitleCase` does it: each word's first
 * letter upper case and the rest lower case, except words written entirely in
 * capitals (acronyms), which stay as they are.
 */
function titleCase(t: string): string {
  return t.replace(/\p{L}[\p{L}\p{M}\p{N}']*/gu, (w) =>
    w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase() ? w : w[0].toUpperCase() + w.slice(1).toLowerCase(),
  );
}

/** Sentence case: lower case, with the first letter of each sentence upper case. */
function sentenceCase(t: string): string {
  return t
    .toLowerCase()
    .replace(
      /(^|[.!?]\s+)(\P{L}*)(\p{L})/gu,
      (_m, lead: string, gap: string, letter: string) => lead + gap + letter.toUpperCase(),
    );
}

export function changeCase(t: string, to: 'upper' | 'lower' | 'title' | 'sentence'): string {
  switch (to) {
    case 'upper':
      return t.toUpperCase();
    case 'lower':
      return t.toLowerCase();
    case 'title':
      return titleCase(t);
    case 'sentence':
      return sentenceCase(t);
  }
}

const SETS = {
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  symbols: '!@#$%^&*()-_=+[]{};:,.<>/?~',
} as const;

/** Random text from the chosen character sets, drawn with the platform's cryptographic random source without modulo bias. */
export function randomText(length: number, use: Record<keyof typeof SETS, boolean>): string {
  const alphabet = (Object.keys(SETS) as (keyof typeof SETS)[])
    .filter((k) => use[k])
    .map((k) => SETS[k])
    .join('');
  if (alphabet === '')
    throw paramError(
      'uppercase',
      'no kind of character is chosen.',
      'Turn on at least one of upper-case letters, lower-case letters, digits or symbols.',
    );
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  const buf = new Uint8Array(Math.min(65_536, Math.max(16, length * 2)));
  while (out.length < length) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      if (b < limit) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
