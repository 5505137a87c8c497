import type { UploadTypeName } from '~/utils/config.server';

/** What a file is, judged from its bytes. */
export type Sniffed =
  | { kind: 'image'; name: 'png' | 'jpeg' | 'gif' | 'webp'; type: string }
  | { kind: 'file'; name: Exclude<UploadTypeName, 'png' | 'jpeg' | 'gif' | 'webp'>; type: string }
  | { kind: 'refused'; what: string };

const startsWith = (bytes: Buffer, signature: number[], at = 0) =>
  signature.every((byte, index) => bytes[at + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

// Markup a browser would run if it ever sniffed the file as a page: refused whatever the name.
const MARKUP =
  /^\s*(?:<\?xml|<!doctype\s+(?:html|svg)|<(?:html|head|body|svg|script|iframe|object|embed|meta|title|style|a\s|img\s|div|p>|table|form|!--))/i;

/**
 * The type of a file by its magic numbers, never its name or the browser's claim. Text has no
 * magic number: UTF-8 without control bytes counts as text, and then the name's extension only
 * chooses between the text kinds (csv, log, plain) — it never turns bytes into another type.
 */
export function sniffType(bytes: Buffer, fileName: string): Sniffed {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: 'image', name: 'png', type: 'image/png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff]))
    return { kind: 'image', name: 'jpeg', type: 'image/jpeg' };
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a')))
    return { kind: 'image', name: 'gif', type: 'image/gif' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8))
    return { kind: 'image', name: 'webp', type: 'image/webp' };
  if (startsWith(bytes, ascii('%PDF-')))
    return { kind: 'file', name: 'pdf', type: 'application/pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return { kind: 'file', name: 'zip', type: 'application/zip' };
  const text = asText(bytes);
  if (text === null) return { kind: 'refused', what: 'a kind of file we do not take' };
  const head = text.replace(/^\uFEFF/, '').slice(0, 1024);
  if (MARKUP.test(head))
    return {
      kind: 'refused',
      what: /<svg|<\?xml/i.test(head) ? 'an SVG or XML file' : 'a web page (HTML)',
    };
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'csv') return { kind: 'file', name: 'csv', type: 'text/csv; charset=utf-8' };
  if (extension === 'log') return { kind: 'file', name: 'log', type: 'text/plain; charset=utf-8' };
  return { kind: 'file', name: 'txt', type: 'text/plain; charset=utf-8' };
}

/** The text of UTF-8 bytes without NUL or other control bytes (tabs and newlines aside), else null. */
function asText(bytes: Buffer): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what is looked for
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? null : text;
}

/** How a file is served: images, PDF and text open in the browser; everything else downloads. */
export function dispositionOf(type: string): 'inline' | 'attachment' {
  return /^(?:image\/(?:png|jpeg|gif|webp)|application\/pdf|text\/(?:plain|csv))\b/.test(type)
    ? 'inline'
    : 'attachment';
}
