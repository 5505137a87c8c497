/**
 * Characters XML 1.0 allows nowhere, not even escaped: C0 controls other than tab, line feed and
 * carriage return, U+FFFE and U+FFFF, and halves of surrogate pairs standing alone. Titles may
 * hold any of them (people paste anything); one left in makes the whole document unreadable.
 */
const notXml =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Whether a text may need work: markup, controls or surrogates (most URLs and titles have none). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const needsWork = /[&<>"'\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Text for an XML element or attribute: escaped, with characters XML cannot carry dropped. */
export function xmlText(value: string): string {
  if (!needsWork.test(value)) return value;
  return value.replace(notXml, '').replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

const storedDate = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/;

/** A stored timestamp as W3C/RFC 3339 date-time (what sitemaps and Atom both take). */
export function xmlDate(value: string | Date): string {
  // Stored timestamps are already UTC ISO strings, `2026-12-06T20:30:04.123Z` (a sitemap part
  // holds 50,000 of them): the seconds are kept, the milliseconds dropped.
  if (typeof value === 'string' && value.length === 24 && value[19] === '.' && value[23] === 'Z')
    return `${value.slice(0, 19)}Z`;
  const stored = typeof value === 'string' ? storedDate.exec(value) : null;
  if (stored) return `${stored[1]}Z`;
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
