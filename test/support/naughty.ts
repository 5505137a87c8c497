import fs from 'node:fs';
import path from 'node:path';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

/** The Big List of Naughty Strings (../shared/data/naughty/blns.json), empty ones left out. */
export function naughtyStrings(): string[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(blnsFile, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${blnsFile} is not a list`);
  return parsed.filter((item): item is string => typeof item === 'string' && item.length > 0);
}

/**
 * What XML 1.0 can carry of a string: the control characters, U+FFFE/U+FFFF and lone surrogate
 * halves it forbids are dropped, the rest kept (written out here, apart from the code under test).
 */
export function xmlCarried(text: string): string {
  const forbidden =
    // eslint-disable-next-line no-control-regex -- these are the characters XML 1.0 forbids
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  return text.replace(forbidden, '');
}
