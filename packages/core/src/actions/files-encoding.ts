/**
 * Text encodings for File.ReadText and File.WriteText, done here because
 * TextEncoder only writes UTF-8. Reading honours a byte order mark whatever
 * encoding is chosen (as .NET's readers do, which PAD uses). Characters an
 * encoding cannot hold are written as `?`, as .NET does.
 */
export const TEXT_ENCODINGS = [
  { value: 'utf-8', title: 'UTF-8' },
  { value: 'utf-8-bom', title: 'UTF-8 with byte order mark' },
  { value: 'utf-16le', title: 'Unicode (UTF-16 little endian)' },
  { value: 'utf-16be', title: 'Unicode big endian (UTF-16 big endian)' },
  { value: 'latin1', title: 'Western European (ISO-8859-1, Latin-1)' },
  { value: 'windows-1252', title: 'Western European (Windows-1252)' },
  { value: 'ascii', title: 'ASCII' },
] as const;

export type TextEncoding = (typeof TEXT_ENCODINGS)[number]['value'];
export const TEXT_ENCODING_VALUES: readonly TextEncoding[] = TEXT_ENCODINGS.map((e) => e.value);

/** Windows-1252's characters for bytes 0x80–0x9F (0 where the code page leaves a byte undefined). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const CP1252_REVERSE = new Map<number, number>(
  CP1252_HIGH.map((cp, i) => [cp, 0x80 + i] as [number, number]).filter(([cp]) => cp !== 0),
);

function bomOf(bytes: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function decodeSingleByte(bytes: Uint8Array, map: (b: number) => number): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const codes = Array.from(bytes.subarray(i, i + CHUNK), map);
    out += String.fromCharCode(...codes);
  }
  return out;
}

export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  const bom = bomOf(bytes);
  const enc = bom?.encoding ?? encoding;
  const body = bom ? bytes.subarray(bom.length) : bytes;
  switch (enc) {
    case 'utf-8':
    case 'utf-8-bom':
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    case 'utf-16le':
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(body);
    case 'utf-16be': {
      const swapped = new Uint8Array(body.length - (body.length % 2));
      for (let i = 0; i + 1 < body.length; i += 2) {
        swapped[i] = body[i + 1];
        swapped[i + 1] = body[i];
      }
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(swapped) + (body.length % 2 ? '\ufffd' : '');
    }
    case 'latin1':
      return decodeSingleByte(body, (b) => b);
    case 'windows-1252':
      return decodeSingleByte(body, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] || b : b));
    case 'ascii':
      return decodeSingleByte(body, (b) => (b < 0x80 ? b : 0xfffd));
  }
}

function encodeSingleByte(text: string, map: (cp: number) => number | undefined): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const b = map(ch.codePointAt(0) ?? 0x3f);
    out.push(b ?? 0x3f);
  }
  return Uint8Array.from(out);
}

/** Bytes for `text`; `bom` writes the byte order mark of the Unicode encodings (always for UTF-16 and `utf-8-bom`). */
export function encodeText(text: string, encoding: TextEncoding, opts: { bom?: boolean } = {}): Uint8Array {
  const bom = opts.bom ?? true;
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom': {
      const body = new TextEncoder().encode(text);
      if (encoding === 'utf-8' || !bom) return body;
      const out = new Uint8Array(body.length + 3);
      out.set([0xef, 0xbb, 0xbf]);
      out.set(body, 3);
      return out;
    }
    case 'utf-16le':
    case 'utf-16be': {
      const start = bom ? 2 : 0;
      const out = new Uint8Array(start + text.length * 2);
      const le = encoding === 'utf-16le';
      if (bom) out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
      for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        out[start + 2 * i] = le ? unit & 0xff : unit >> 8;
        out[start + 2 * i + 1] = le ? unit >> 8 : unit & 0xff;
      }
      return out;
    }
    case 'latin1':
      return encodeSingleByte(text, (cp) => (cp <= 0xff ? cp : undefined));
    case 'windows-1252':
      return encodeSingleByte(text, (cp) => (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff) ? cp : CP1252_REVERSE.get(cp)));
    case 'ascii':
      return encodeSingleByte(text, (cp) => (cp < 0x80 ? cp : undefined));
  }
}

/** Lines of a text, as PAD's "list" reading gives them: any line break, no empty item for a final break. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
