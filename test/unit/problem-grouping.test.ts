import { describe, expect, test } from 'vitest';
import { errorCodesOf, groupItems, type GroupItem } from '~/models/problems/grouping';
import { ticketTopics } from '../../seed/analytics';

describe('grouping tickets that look like one problem', () => {
  test('error codes are letters then digits, in any case, with or without a dash', () => {
    expect(errorCodesOf('Feed says BF-401 again; the payroll run returned r03.')).toEqual([
      'BF401',
      'R03',
    ]);
    expect(errorCodesOf('Export to Sage 50 in 2026 with USD and GBP')).toEqual([]);
  });

  test('on the demo’s labelled tickets, every suggested group holds one topic only', () => {
    // Each demo topic is one kind of problem; three customers of different organisations file
    // each of its subjects within the fortnight.
    type Labelled = GroupItem & { topic: number };
    const items: Labelled[] = ticketTopics.flatMap((topic, index) =>
      topic.subjects.flatMap((subject, subjectIndex) =>
        [0, 1, 2].map((person) => ({
          key: `${index}-${subjectIndex}-${person}`,
          title: subject,
          body: 'We tried what the help center suggests and still need a hand with this.',
          personId: index * 100 + subjectIndex * 10 + person,
          organizationId: person,
          topic: index,
        })),
      ),
    );
    const groups = groupItems(items);
    const grouped = groups.flatMap((group) => group.items);
    // Precision: items in a group whose topic is the group's own (its most common topic).
    const right = groups.reduce((sum, group) => {
      const counts = new Map<number, number>();
      for (const item of group.items) counts.set(item.topic, (counts.get(item.topic) ?? 0) + 1);
      return sum + Math.max(...counts.values());
    }, 0);
    const precision = right / grouped.length;
    expect(precision).toBe(1);
    // Every topic is suggested, and the three BF-401 subjects come as one group, by their code.
    expect(new Set(grouped.map((item) => item.topic)).size).toBe(ticketTopics.length);
    const bf401 = groups.find(
      (group) => group.reason.kind === 'code' && group.reason.code === 'BF401',
    );
    expect(bf401?.items).toHaveLength(9);
  });

  test('one person filing the same thing twice is not a problem of many', () => {
    const twice = [1, 2].map((n) => ({
      key: `t${n}`,
      title: 'Payroll export to Sage fails',
      body: '',
      personId: 7,
      organizationId: 1,
    }));
    expect(groupItems(twice)).toEqual([]);
  });
});
