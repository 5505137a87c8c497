import { Splitter, type MimeNode, type SplitterChunk } from '@zone-eu/mailsplit';
import libmime from 'libmime';

/**
 * Whether a mail's bytes decode into what its sender wrote. mailparser reads anything and
 * replaces what it cannot decode, so text would be lost without anyone knowing: a message with
 * an encoding that cannot be undone is refused instead, with the part and the reason, and the
 * sending server returns it to its sender (decision 020). Quoted-printable is the one lenient
 * case: RFC 2045 asks decoders to keep a stray "=" as written, and mailers do send them.
 */

const transferEncodings = new Set(['', '7bit', '8bit', 'binary', 'quoted-printable', 'base64']);
const encodedWord = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;
const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8Compatible = /^(?:(?:us-)?ascii|utf-?8|7bit)$/i;

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isBase64(text: string): boolean {
  const packed = text.replace(/\s+/g, '');
  return base64Text.test(packed) && packed.length % 4 !== 1;
}

function isKnownCharset(charset: string): boolean {
  return utf8Compatible.test(charset) || libmime.createDecodeStream(charset).supported;
}

/** What is wrong with one header line (raw bytes as latin1), or null. */
function headerProblem(line: string): string | null {
  const name = line.slice(0, line.indexOf(':')).trim() || 'A';
  if (/[\x80-\xff]/.test(line) && !isUtf8(Buffer.from(line, 'latin1')))
    return `The ${name} header holds 8-bit bytes that are not UTF-8, so its text cannot be read.`;
  for (const [, charset = '', encoding = '', text = ''] of line.matchAll(encodedWord)) {
    if (!isKnownCharset(charset.replace(/\*.*$/, '')))
      return `The ${name} header is written in the character set "${charset}", which is unknown here.`;
    if (encoding.toLowerCase() === 'b' && !isBase64(text))
      return `The ${name} header has an encoded word that is not valid base64.`;
  }
  return null;
}

/** Undoes quoted-printable as RFC 2045 asks: soft line breaks go, a stray "=" stays. */
function fromQuotedPrintable(text: string): Buffer {
  return Buffer.from(
    text.replace(/=(?:[ \t]*\r?\n|([0-9a-f]{2}))/gi, (_match, hex?: string) =>
      hex ? String.fromCharCode(parseInt(hex, 16)) : '',
    ),
    'latin1',
  );
}

type Part = { node: MimeNode; number: number; chunks: Buffer[] };

function partName(part: Part): string {
  const type = part.node.contentType || 'text/plain';
  return part.node.root ? `The message (${type})` : `Part ${part.number} (${type})`;
}

/** What is wrong with one leaf part's body, or null. */
function bodyProblem(part: Part): string | null {
  const encoding = (part.node.encoding || '').toLowerCase();
  if (!transferEncodings.has(encoding))
    return `${partName(part)} uses the transfer encoding "${encoding}", which mail does not define.`;
  const body = Buffer.concat(part.chunks).toString('latin1');
  if (encoding === 'base64' && !isBase64(body))
    return `${partName(part)} says it is base64 but holds characters base64 does not use.`;
  // Only text we show is decoded; a file is kept as the bytes it is.
  const type = part.node.contentType || 'text/plain';
  if (!/^text\/(?:plain|html)$/.test(type) || part.node.disposition === 'attachment') return null;
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body, 'base64')
      : encoding === 'quoted-printable'
        ? fromQuotedPrintable(body)
        : Buffer.from(body, 'latin1');
  if (!bytes.some((byte) => byte >= 0x80)) return null;
  const charset = part.node.charset || 'utf-8';
  if (!isKnownCharset(charset))
    return `${partName(part)} is written in the character set "${charset}", which is unknown here.`;
  if (utf8Compatible.test(charset) && !isUtf8(bytes))
    return `${partName(part)} holds bytes that are not UTF-8, ${part.node.charset ? `though it names the character set "${charset}"` : 'and names no other character set'}.`;
  return null;
}

/**
 * Why this mail cannot be decoded as its sender wrote it, for a person (and the bounce the
 * sending server writes), or null when every header and text part decodes.
 */
export async function undecodable(raw: Buffer): Promise<string | null> {
  const parts = new Map<MimeNode, Part>();
  const problems: string[] = [];
  // An attached message (a bounce's original, a forwarded mail) is a file, not text of ours.
  const splitter = new Splitter({ ignoreEmbedded: true });
  splitter.end(raw);
  for await (const data of splitter as AsyncIterable<SplitterChunk>) {
    if (data.type === 'node') {
      for (const { line } of data.headers ? data.headers.getList() : []) {
        const problem = headerProblem(line);
        if (problem) problems.push(problem);
      }
      if (!data.multipart) parts.set(data, { node: data, number: parts.size + 1, chunks: [] });
    } else if (data.type === 'body') {
      parts.get(data.node)?.chunks.push(data.value);
    }
  }
  for (const part of parts.values()) {
    const problem = bodyProblem(part);
    if (problem) problems.push(problem);
  }
  return problems[0] ?? null;
}
