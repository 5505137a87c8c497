import { describe, expect, test } from 'vitest';
import { atomXml, type FeedEntry } from '~/utils/atom';
import { xmlText } from '~/utils/xml';
import { naughtyStrings, xmlCarried as carried } from '../support/naughty';
import { parseXml, schemaErrors } from '../support/xml-schemas';

const atom = { a: 'http://www.w3.org/2005/Atom' };

function entry(text: string, index: number): FeedEntry {
  return {
    idPath: `/questions/${index + 1}`,
    path: `/questions/${index + 1}/naughty`,
    title: text,
    published: '2026-12-01T09:00:00.000Z',
    updated: '2026-12-02T09:30:00.000Z',
    author: { name: text, path: `/users/${encodeURIComponent(text)}` },
    categories: [text],
    html: `<p>${text}</p>`,
  };
}

describe('Atom feeds', () => {
  test('every naughty string as a title, author, category and body stays text in a valid feed', () => {
    const strings = naughtyStrings();
    const xml = atomXml({
      origin: 'https://help.example.com',
      siteName: 'Help & <Support>',
      title: 'Newest questions',
      subtitle: 'New questions from the community.',
      selfPath: '/feeds/questions',
      pagePath: '/questions',
      entries: strings.map(entry),
    });
    expect(schemaErrors(xml, 'atom')).toEqual([]);
    const doc = parseXml(xml);
    try {
      const titles = doc.find('/a:feed/a:entry/a:title', atom).map((node) => node.content);
      const authors = doc.find('/a:feed/a:entry/a:author/a:name', atom).map((node) => node.content);
      const terms = doc.find('/a:feed/a:entry/a:category/@term', atom).map((node) => node.content);
      const bodies = doc.find('/a:feed/a:entry/a:content', atom).map((node) => node.content);
      // Attribute values are normalised by XML parsers (tabs and line breaks become spaces).
      const normalised = (text: string) => carried(text).replace(/[\t\n\r]/g, ' ');
      expect(titles).toEqual(strings.map(carried));
      expect(authors).toEqual(strings.map(carried));
      expect(terms).toEqual(strings.map(normalised));
      expect(bodies).toEqual(strings.map((text) => `<p>${carried(text)}</p>`));
      expect(doc.get('/a:feed/a:title', atom)?.content).toBe('Newest questions · Help & <Support>');
    } finally {
      doc.dispose();
    }
  });

  test('a feed with no entries is still valid, and says when it was made', () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    const xml = atomXml(
      {
        origin: 'https://help.example.com',
        siteName: 'Help',
        title: 'Questions tagged payroll',
        subtitle: 'New questions tagged payroll.',
        selfPath: '/feeds/tags/payroll',
        pagePath: '/tags/payroll',
        entries: [],
      },
      now,
    );
    expect(schemaErrors(xml, 'atom')).toEqual([]);
    expect(xml).toContain('<updated>2026-12-06T12:00:00Z</updated>');
  });

  test('the feed is as new as its newest entry', () => {
    const older = { ...entry('older', 0), updated: '2026-11-01T08:00:00.000Z' };
    const newer = { ...entry('newer', 1), updated: '2026-12-03T08:00:00.000Z' };
    const xml = atomXml({
      origin: 'https://help.example.com',
      siteName: 'Help',
      title: 'Knowledge base',
      subtitle: 'Articles.',
      selfPath: '/feeds/articles',
      pagePath: '/kb',
      entries: [older, newer],
    });
    const doc = parseXml(xml);
    try {
      expect(doc.get('/a:feed/a:updated', atom)?.content).toBe('2026-12-03T08:00:00Z');
    } finally {
      doc.dispose();
    }
  });

  test('xmlText escapes markup and drops what XML cannot carry', () => {
    expect(xmlText(`<b a="1">'&'</b>\u0000\u0008\uFFFF\uD800`)).toBe(
      '&lt;b a=&quot;1&quot;&gt;&apos;&amp;&apos;&lt;/b&gt;',
    );
    expect(xmlText('emoji 👍 stays')).toBe('emoji 👍 stays');
  });
});
