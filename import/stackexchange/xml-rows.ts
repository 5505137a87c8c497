import fs from 'node:fs';
import readline from 'node:readline';
import { SaxesParser } from 'saxes';

export type XmlRow =
  | { ok: true; line: number; attributes: Record<string, string> }
  | { ok: false; line: number; id: string | null; error: string };

// A row that never closes is given up after this many lines, so one broken quote cannot swallow
// the rest of the file.
const maxLinesPerRow = 1_000;

function parseRow(text: string, line: number): XmlRow {
  // NOTE: each row gets its own parser: a strict parser cannot recover after an error, and a
  // broken row must cost only itself. Stack Exchange dumps write one row per line, so this stays
  // a streaming read with memory bounded by the longest row.
  const parser = new SaxesParser({ fragment: true });
  let attributes: Record<string, string> | null = null;
  let error: string | null = null;
  parser.on('opentag', (tag) => {
    if (tag.name !== 'row' || attributes) return;
    attributes = {};
    for (const [name, value] of Object.entries(tag.attributes))
      attributes[name] = typeof value === 'string' ? value : value.value;
  });
  parser.on('error', (problem) => {
    error ??= problem.message;
  });
  parser.write(text).close();
  if (error || !attributes) {
    const id = /\sId="(-?\d+)"/.exec(text)?.[1] ?? null;
    return { ok: false, line, id, error: error ?? 'not a <row> element' };
  }
  return { ok: true, line, attributes };
}

/**
 * The <row> elements of a Stack Exchange dump file, one at a time, each parsed by a streaming XML
 * parser. A malformed row is yielded as an error (with its Id when it can be read); reading goes on.
 * `onProgress` receives the bytes read so far.
 */
export async function* readRows(
  file: string,
  onProgress?: (bytesRead: number) => void,
): AsyncGenerator<XmlRow> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let pending: string[] = [];
  let pendingLine = 0;
  let lineNumber = 0;
  let lastReport = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      if (onProgress && lineNumber - lastReport >= 200) {
        lastReport = lineNumber;
        onProgress(stream.bytesRead);
      }
      const trimmed = text.trim();
      if (pending.length > 0) {
        if (trimmed.startsWith('<row') || pending.length >= maxLinesPerRow) {
          yield parseRow(pending.join('\n'), pendingLine);
          pending = [];
        } else {
          pending.push(text);
          if (trimmed.endsWith('/>')) {
            yield parseRow(pending.join('\n'), pendingLine);
            pending = [];
          }
          continue;
        }
      }
      if (!trimmed.startsWith('<row')) continue;
      if (trimmed.endsWith('/>')) {
        yield parseRow(trimmed, lineNumber);
      } else {
        pending = [text];
        pendingLine = lineNumber;
      }
    }
    if (pending.length > 0) yield parseRow(pending.join('\n'), pendingLine);
  } finally {
    lines.close();
    stream.destroy();
    onProgress?.(stream.bytesRead);
  }
}
