import { meaningfulWords } from '#search/fts';

/**
 * Which searches, tickets and questions are about the same problem. Texts are reduced to their
 * meaningful words (stop words dropped, plurals and -ing/-ed endings cut), and two texts are
 * similar when half of all their distinct words are shared (Jaccard ≥ 0.5): "payroll export
 * sage" and "Can't export payroll into Sage" are; "payroll" and "payroll export sage" are not.
 */

export const similarityThreshold = 0.5;

// Beyond the search stop words: words every support request uses ("can't", "error", "help"),
// which say that something is wrong but not what.
const noiseWords = new Set([
  'about',
  'after',
  'again',
  'all',
  'also',
  'am',
  'any',
  'anyone',
  'been',
  'before',
  'being',
  'broken',
  'cannot',
  'cant',
  'd',
  'did',
  'didn',
  'doesn',
  'don',
  'done',
  'each',
  'error',
  'every',
  'fail',
  'had',
  'hello',
  'help',
  'hi',
  'into',
  'isn',
  'issue',
  'just',
  'll',
  'm',
  'many',
  'may',
  'might',
  'more',
  'most',
  'much',
  'must',
  'need',
  'no',
  'not',
  'one',
  'only',
  'onto',
  'other',
  'out',
  'over',
  'please',
  'problem',
  'question',
  're',
  's',
  'same',
  'should',
  'some',
  'someone',
  'still',
  'stuck',
  't',
  'than',
  'thank',
  'them',
  'then',
  'these',
  'they',
  'those',
  'try',
  'under',
  'up',
  've',
  'very',
  'want',
  'way',
  'were',
  'won',
  'wrong',
]);

function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The distinct, sorted terms of a text: what topics are compared by. */
export function termsOf(text: string): string[] {
  return [...new Set(meaningfulWords(text).map(stem))]
    .filter((term) => term && !noiseWords.has(term))
    .sort();
}

export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  const shared = b.filter((term) => set.has(term)).length;
  return shared / (a.length + b.length - shared);
}

export type TopicItem<T> = { terms: string[]; weight: number; text: string; value: T };
export type Topic<T> = { seed: string[]; anchor: string | null; items: TopicItem<T>[] };

/** A topic is compared by its seed and its first few members, so near variants chain a little. */
const comparedMembers = 6;

/**
 * Groups items into topics. Anchors (topics that already have a name, such as gaps an agent
 * acted on) take their items first; then, heaviest first, each item joins the topic it resembles
 * most (its seed or one of its first members) or starts a topic of its own. Same input, same
 * topics.
 */
export function clusterTopics<T>(
  items: TopicItem<T>[],
  anchors: { key: string; terms: string[] }[] = [],
): Topic<T>[] {
  type Open = Topic<T> & { compared: number; order: number };
  type Compared = { topic: Open; terms: Set<string> };
  const topics: Open[] = [];
  // Which compared term lists hold a term.
  const postings = new Map<string, Compared[]>();
  const compareWith = (topic: Open, terms: string[]) => {
    topic.compared += 1;
    const entry = { topic, terms: new Set(terms) };
    for (const term of terms) {
      const list = postings.get(term) ?? [];
      list.push(entry);
      postings.set(term, list);
    }
  };
  const open = (seed: string[], anchor: string | null) => {
    const topic: Open = { seed, anchor, items: [], compared: 0, order: topics.length };
    topics.push(topic);
    compareWith(topic, seed);
    return topic;
  };
  for (const anchor of anchors) open(anchor.terms, anchor.key);
  const ordered = [...items].sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text));
  for (const item of ordered) {
    const size = item.terms.length;
    if (size === 0) continue;
    // A list similar enough shares at least ceil(threshold × size) of the item's terms, so it
    // holds one of any (size − that + 1) of them: look it up by the item's rarest terms only.
    const prefix = size - Math.ceil(similarityThreshold * size) + 1;
    const rarest = [...item.terms]
      .sort((a, b) => (postings.get(a)?.length ?? 0) - (postings.get(b)?.length ?? 0))
      .slice(0, prefix);
    const candidates = new Set<Compared>();
    for (const term of rarest) for (const entry of postings.get(term) ?? []) candidates.add(entry);
    let best: Open | null = null;
    let bestScore = 0;
    for (const entry of candidates) {
      const shared = item.terms.filter((term) => entry.terms.has(term)).length;
      const score = shared / (entry.terms.size + size - shared);
      if (
        score >= similarityThreshold &&
        (score > bestScore ||
          (score === bestScore && best !== null && entry.topic.order < best.order))
      ) {
        best = entry.topic;
        bestScore = score;
      }
    }
    if (best) {
      best.items.push(item);
      if (best.compared < comparedMembers) compareWith(best, item.terms);
    } else open(item.terms, null).items.push(item);
  }
  return topics
    .filter((topic) => topic.items.length > 0)
    .map(({ seed, anchor, items: members }) => ({ seed, anchor, items: members }));
}
