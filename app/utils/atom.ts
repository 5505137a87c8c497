import { xmlDate, xmlText } from './xml';

export type FeedEntry = {
  /** The permanent address that names the entry (a title change must not make it new). */
  idPath: string;
  path: string;
  title: string;
  published: string;
  updated: string;
  author: { name: string; path: string } | null;
  categories: string[];
  /** Sanitised HTML, the same the page shows. */
  html: string;
};

export type Feed = {
  origin: string;
  siteName: string;
  title: string;
  subtitle: string;
  /** The feed's own address and the page it follows. */
  selfPath: string;
  pagePath: string;
  entries: FeedEntry[];
};

function entryXml(origin: string, entry: FeedEntry): string {
  const author = entry.author
    ? `<author><name>${xmlText(entry.author.name)}</name><uri>${xmlText(origin + entry.author.path)}</uri></author>`
    : '';
  return [
    '<entry>',
    `<id>${xmlText(origin + entry.idPath)}</id>`,
    `<title type="text">${xmlText(entry.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${xmlText(origin + entry.path)}"/>`,
    `<published>${xmlDate(entry.published)}</published>`,
    `<updated>${xmlDate(entry.updated)}</updated>`,
    author,
    ...entry.categories.map((name) => `<category term="${xmlText(name)}"/>`),
    `<content type="html">${xmlText(entry.html)}</content>`,
    '</entry>',
  ].join('');
}

/**
 * An Atom 1.0 document (RFC 4287). Every text goes through xmlText, so a title holding markup or
 * control characters stays text, and the HTML of bodies travels escaped (type="html"), its
 * relative links resolved against xml:base.
 */
export function atomXml(feed: Feed, now = new Date()): string {
  const updated = feed.entries.reduce(
    (latest, entry) => (entry.updated > latest ? entry.updated : latest),
    feed.entries[0]?.updated ?? now.toISOString(),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="${xmlText(`${feed.origin}/`)}">`,
    `<id>${xmlText(feed.origin + feed.selfPath)}</id>`,
    `<title type="text">${xmlText(`${feed.title} · ${feed.siteName}`)}</title>`,
    `<subtitle type="text">${xmlText(feed.subtitle)}</subtitle>`,
    `<updated>${xmlDate(updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.origin + feed.selfPath)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(feed.origin + feed.pagePath)}"/>`,
    `<author><name>${xmlText(feed.siteName)}</name></author>`,
    '<generator>Commons</generator>',
    ...feed.entries.map((entry) => entryXml(feed.origin, entry)),
    '</feed>',
    '',
  ].join('\n');
}
