import fs from 'node:fs';
import path from 'node:path';
import type { SearchDocument } from '#search/documents';

/** Real text to recombine: titles, sentences and tags from the Stack Exchange dumps. */
export type TextPool = { titles: string[]; sentences: string[]; tags: string[] };

const entities: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&amp;': '&',
  '&#xA;': '\n',
  '&#xD;': '',
};

export function decode(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp|#xA|#xD);/g, (match) => entities[match] ?? match);
}

export function attribute(row: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(row);
  return match?.[1] ? decode(match[1]) : null;
}

/** Reads the dumps under dataDir (each folder's Posts.xml), line by line. */
export function readStackExchangeText(dataDir: string): TextPool | null {
  if (!fs.existsSync(dataDir)) return null;
  const pool: TextPool = { titles: [], sentences: [], tags: [] };
  const tags = new Set<string>();
  for (const dump of fs.readdirSync(dataDir)) {
    const file = path.join(dataDir, dump, 'Posts.xml');
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('<row ')) continue;
      const title = attribute(line, 'Title');
      if (title) pool.titles.push(title);
      for (const tag of (attribute(line, 'Tags') ?? '').match(/[^<>]+/g) ?? []) tags.add(tag);
      const body = (attribute(line, 'Body') ?? '')
        .replace(/<pre[\s\S]*?<\/pre>/g, ' ')
        .replace(/<[^>]+>/g, ' ');
      for (const sentence of body.split(/(?<=[.!?])\s+/)) {
        const clean = sentence.replace(/\s+/g, ' ').trim();
        if (clean.length >= 20 && clean.length <= 300) pool.sentences.push(clean);
      }
    }
  }
  pool.tags = [...tags];
  return pool.titles.length > 0 ? pool : null;
}

/** A small deterministic random generator, so every run builds the same corpus. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** count documents made by recombining real titles, sentences and tags. */
export function* recombinedDocuments(
  pool: TextPool,
  count: number,
  seed = 42,
): Generator<SearchDocument> {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  for (let id = 1; id <= count; id++) {
    const type = random() < 0.1 ? 'article' : 'thread';
    const sentences = (n: number) =>
      Array.from({ length: n }, () => pick(pool.sentences)).join(' ');
    const answered = type === 'article' || random() < 0.6;
    yield {
      id,
      type,
      title:
        random() < 0.7
          ? pick(pool.titles)
          : `${pick(pool.titles).replace(/\?$/, '')} ${pick(pool.tags)}?`,
      tags: Array.from(
        new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(pool.tags))),
      ),
      body: sentences(2 + Math.floor(random() * 5)),
      answers: type === 'thread' && answered ? sentences(2 + Math.floor(random() * 8)) : '',
      category: null,
      category_slug: pick([
        'getting-started',
        'invoices-payments',
        'bank-connections',
        'payroll',
        'taxes-reports',
      ]),
      journey_stage: null,
      status: answered ? 'answered' : 'open',
      answered,
      created_at: 1_600_000_000 + Math.floor(random() * 100_000_000),
      score: Math.floor(random() * 50) - 5,
      url: type === 'article' ? `/kb/bench-${id}` : `/questions/${id}/bench`,
      audience: ['public'],
      category_audience: ['public'],
      version: 'bench',
    };
  }
}

/** Queries people type: a few words of a real title, some with a typo. */
export function benchQueries(pool: TextPool, count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const words = pool.titles[Math.floor(random() * pool.titles.length)]!.split(/\s+/).filter(
      (word) => /^[\p{L}\p{N}-]{3,}$/u.test(word),
    );
    if (words.length < 2) continue;
    const start = Math.floor(random() * Math.max(1, words.length - 3));
    const chosen = words.slice(start, start + 2 + Math.floor(random() * 3));
    if (random() < 0.3) {
      const index = Math.floor(random() * chosen.length);
      const word = chosen[index]!;
      if (word.length > 4) chosen[index] = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    }
    queries.push(chosen.join(' ').toLowerCase());
  }
  return queries;
}

/** Without the Stack Exchange dumps: the demo community's own text. */
export async function demoTextPool(): Promise<TextPool> {
  const { demoThreads } = await import('../seed/community-content');
  const { demoArticles } = await import('../seed/kb-content');
  const texts = [
    ...demoThreads.flatMap((thread) => [
      thread.body,
      ...thread.answers.map((answer) => answer.body),
    ]),
    ...demoArticles.map((article) => article.body),
  ];
  return {
    titles: [
      ...demoThreads.map((thread) => thread.title),
      ...demoArticles.map((article) => article.title),
    ],
    sentences: texts
      .flatMap((text) => text.replace(/[#*`>_[\]()]/g, ' ').split(/(?<=[.!?])\s+/))
      .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
      .filter((sentence) => sentence.length >= 20),
    tags: [
      ...new Set([
        ...demoThreads.flatMap((thread) => thread.tags),
        ...demoArticles.flatMap((article) => article.tags),
      ]),
    ],
  };
}
