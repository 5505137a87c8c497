import { clusterTopics, termsOf } from '~/models/topics';

/**
 * Which recent tickets and threads look like one problem (docs/decisions/030). Two signals:
 * - the same error code: a token of letters and at least two digits, such as R03, BF-401 or
 *   E1234 (product names and years have no letters-and-digits shape);
 * - alike words: the meaningful words of their titles, clustered as the gap queue does
 *   (Jaccard ≥ 0.5).
 * A group is worth an agent's look when it reaches several people: three, or two organisations.
 * Pure, so its precision is measured on labelled data in a test.
 */

export type GroupItem = {
  key: string;
  title: string;
  body: string;
  personId: number;
  organizationId: number | null;
};

export type ItemGroup<T extends GroupItem> = {
  /** `code` for a shared error code, `words` for alike titles. */
  reason: { kind: 'code'; code: string } | { kind: 'words'; words: string[] };
  items: T[];
  people: number;
  organizations: number;
};

const codePattern = /\b[A-Z]{1,4}-?\d{2,5}\b/g;

/** The error codes a text names, upper-cased: "error r03" and "R03" are one code. */
export function errorCodesOf(text: string): string[] {
  return [...new Set(text.toUpperCase().match(codePattern) ?? [])].map((code) =>
    code.replace('-', ''),
  );
}

function reach<T extends GroupItem>(items: T[]) {
  return {
    people: new Set(items.map((item) => item.personId)).size,
    organizations: new Set(items.map((item) => item.organizationId).filter((id) => id !== null))
      .size,
  };
}

const worthALook = (group: { people: number; organizations: number }) =>
  group.people >= 3 || group.organizations >= 2;

/** Groups the items; each item is in at most one group, a shared code first. */
export function groupItems<T extends GroupItem>(items: T[]): ItemGroup<T>[] {
  const groups: ItemGroup<T>[] = [];
  const taken = new Set<string>();
  const byCode = new Map<string, T[]>();
  for (const item of items)
    for (const code of errorCodesOf(`${item.title} ${item.body}`))
      byCode.set(code, [...(byCode.get(code) ?? []), item]);
  // The codes most items share go first.
  for (const [code, members] of [...byCode].sort((a, b) => b[1].length - a[1].length)) {
    const free = members.filter((item) => !taken.has(item.key));
    const group = { reason: { kind: 'code' as const, code }, items: free, ...reach(free) };
    if (free.length < 2 || !worthALook(group)) continue;
    groups.push(group);
    for (const item of free) taken.add(item.key);
  }
  const rest = items.filter((item) => !taken.has(item.key));
  const topics = clusterTopics(
    rest.map((item) => ({ terms: termsOf(item.title), weight: 1, text: item.title, value: item })),
  );
  for (const topic of topics) {
    const members = topic.items.map((entry) => entry.value);
    const group = {
      reason: { kind: 'words' as const, words: topic.seed },
      items: members,
      ...reach(members),
    };
    if (members.length >= 2 && worthALook(group)) groups.push(group);
  }
  return groups.sort((a, b) => b.people - a.people || b.items.length - a.items.length);
}
