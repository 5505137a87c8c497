import { describe, expect, test } from 'vitest';
import { problemTrend } from '~/models/problems/problem-page.server';

describe('a known issue over time', () => {
  test('people newly affected by week, and the tickets a workaround avoided', () => {
    const now = new Date('2026-12-06T12:00:00Z'); // a Sunday
    const people = [
      { since: '2026-11-02T09:00:00Z', reasons: ['requester'], organization_id: 1 },
      { since: '2026-11-04T09:00:00Z', reasons: ['requester'], organization_id: 2 },
      { since: '2026-11-10T09:00:00Z', reasons: ['requester', 'asked'], organization_id: 1 },
      { since: '2026-11-12T09:00:00Z', reasons: ['follows'], organization_id: null },
      { since: '2026-11-24T09:00:00Z', reasons: ['requester'], organization_id: 3 },
    ];
    // Four tickets in the two weeks before the workaround (2 a week), one in the three after.
    const tickets = ['2026-11-02', '2026-11-04', '2026-11-10', '2026-11-12', '2026-11-24'].map(
      (day) => ({ created_at: `${day}T09:00:00Z` }),
    );
    const { weeks, avoided } = problemTrend(people, tickets, '2026-11-15T12:00:00Z', now);
    expect(
      weeks.map((week) => [week.week, week.tickets, week.community, week.organizations]),
    ).toEqual([
      ['2026-11-02', 2, 0, 2],
      ['2026-11-09', 1, 1, 2],
      ['2026-11-16', 0, 0, 2],
      ['2026-11-23', 1, 0, 3],
      ['2026-11-30', 0, 0, 3],
    ]);
    // 4 tickets in 13.1 days before (2.1 a week); 3 weeks after: about 6 expected, 1 came.
    expect(avoided).toEqual({ since: '2026-11-15T12:00:00Z', before: 2.1, after: 1, estimate: 5 });
  });

  test('without a workaround there is no estimate, and no people make one empty week', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    expect(problemTrend([], [], null, now)).toEqual({
      weeks: [{ week: '2026-11-30', tickets: 0, community: 0, organizations: 0 }],
      avoided: null,
      workaroundFirst: false,
    });
    // A workaround older than every ticket has nothing to compare with.
    const late = [{ created_at: '2026-11-20T09:00:00Z' }];
    expect(problemTrend([], late, '2026-09-21T09:00:00Z', now)).toMatchObject({
      avoided: null,
      workaroundFirst: true,
    });
  });
});
