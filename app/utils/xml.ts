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

/** Text for an XML element or attribute: escaped, with characters XML cannot carry dropped. */
export function xmlText(value: string): string {
  return value.replace(notXml, '').replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/** A stored timestamp as W3C/RFC 3339 date-time (what sitemaps and Atom both take). */
export function xmlDate(value: string | Date): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function xmlResponse(body: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': `${contentType}; charset=utf-8`,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
