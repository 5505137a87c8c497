import { describe, expect, test } from 'vitest';
import type { ArticleFigure, PromotionCandidate } from '~/models/analytics/content-figures.server';
import type { QueryRow } from '~/models/analytics/figures.server';
import {
  gapWeights,
  missingContentGap,
  missingContentItems,
  needsReview,
  notHelpfulCounted,
  promotionGap,
  reviewGap,
  articleEvidence,
  unclickedSearches,
} from '~/models/analytics/gap-scoring';
import type { NoContentTicket } from '~/models/analytics/ticket-figures.server';

const query = (fields: Partial<QueryRow> & { query: string }): QueryRow => ({
  searches: 0,
  zero_results: 0,
  clicked: 0,
  last_day: '2026-03-01',
  ...fields,
});

const ticket = (id: number, subject: string, tags: string[] = []): NoContentTicket => ({
  id,
  subject,
  category_id: 4,
  category: 'Payroll',
  resolved_at: `2026-03-0${id}T10:00:00.000Z`,
  tags,
});

const article = (fields: Partial<ArticleFigure> = {}): ArticleFigure => ({
  id: 7,
  slug: 'export-payroll',
  title: 'Export payroll',
  journey_stage: 'onboarding',
  category_id: 2,
  views: 100,
  votes: 0,
  helpful_votes: 0,
  helpful_percent: null,
  self_resolutions: 0,
  tickets_resolved: 0,
  tickets_after_reading: 0,
  review_due_at: null,
  review_overdue: false,
  ...fields,
});

describe('gap scoring', () => {
  test('"not helpful" votes count only when they are most of an article’s votes', () => {
    expect(notHelpfulCounted(20, 16)).toBe(0);
    expect(notHelpfulCounted(10, 5)).toBe(0);
    expect(notHelpfulCounted(10, 4)).toBe(6);
    expect(notHelpfulCounted(3, 0)).toBe(3);
  });

  test('searches with results count as unclicked only for queries searched often and rarely clicked', () => {
    expect(unclickedSearches(query({ query: 'sage', searches: 10, clicked: 1 }))).toBe(9);
    expect(unclickedSearches(query({ query: 'sage', searches: 10, clicked: 5 }))).toBe(0);
    expect(unclickedSearches(query({ query: 'sage', searches: 4, clicked: 0 }))).toBe(0);
  });

  test('a problem with no content adds up searches, tickets and views of unanswered questions', () => {
    const items = missingContentItems(
      [query({ query: 'export payroll sage', searches: 3, zero_results: 3 })],
      [ticket(1, 'Export payroll to Sage', ['sage']), ticket(2, 'Payroll export to Sage fails')],
      [
        {
          id: 9,
          title: 'How do I export payroll into Sage?',
          slug: 'export-payroll-sage',
          views: 60,
          created_at: '2026-02-01T00:00:00.000Z',
          category_id: 4,
          journey_stage: 'onboarding',
        },
      ],
    );
    const gap = missingContentGap(
      'missing.export-payroll-sage',
      'Export payroll to Sage',
      ['export', 'payroll', 'sage'],
      items.map((item) => item.value),
    );
    expect(gap.parts).toEqual([
      { label: 'searches found nothing', count: 3, weight: '1', points: 3 },
      {
        label: 'tickets answered without content',
        count: 2,
        weight: String(gapWeights.noContentTicket),
        points: 10,
      },
      { label: 'views of unanswered questions', count: 60, weight: '1 per 25', points: 2 },
    ]);
    expect(gap.score).toBe(15);
    expect(gap.state).toBe('open');
    expect(gap.category_id).toBe(4);
    expect(gap.journey_stage).toBe('onboarding');
    expect(gap.tags).toEqual(['sage']);
    // The newest ticket first.
    expect(gap.evidence.tickets.map((item) => item.id)).toEqual([2, 1]);
  });

  test('a line of a score that counts one thing says it in the singular', () => {
    const gap = missingContentGap(
      'missing.sage',
      'Sage',
      ['sage'],
      [{ type: 'ticket', ticket: ticket(1, 'Sage') }],
    );
    expect(gap.parts[0]?.label).toBe('ticket answered without content');
  });

  test('an answer worth an article scores self-resolutions and the tickets it resolved', () => {
    const candidate: PromotionCandidate = {
      id: 3,
      title: 'Connect your bank',
      slug: 'connect-your-bank',
      journey_stage: 'onboarding',
      category_id: null,
      self_resolutions: 2,
      tickets_resolved: 2,
      ticket_ids: [11, 12],
      answer_id: 30,
      draft_article_id: 5,
    };
    const gap = promotionGap(candidate, new Map([[11, 'Bank feed stopped']]));
    expect(gap.score).toBe(2 * gapWeights.selfResolution + 2 * gapWeights.threadTicket);
    expect(gap.key).toBe('promote.thread-3');
    expect(gap.state).toBe('in_progress');
    expect(gap.evidence.tickets.map((item) => item.subject)).toEqual([
      'Bank feed stopped',
      'Ticket #12',
    ]);
    expect(gap.evidence.answer).toEqual({
      thread_id: 3,
      post_id: 30,
      title: 'Connect your bank',
      slug: 'connect-your-bank',
    });
  });

  test('an article needs review for tickets after reading, most votes unhelpful, or an overdue review', () => {
    expect(needsReview(article())).toBe(false);
    expect(needsReview(article({ votes: 10, helpful_votes: 8 }))).toBe(false);
    expect(needsReview(article({ votes: 10, helpful_votes: 2 }))).toBe(true);
    expect(needsReview(article({ review_overdue: true }))).toBe(true);
    const figure = article({ tickets_after_reading: 2, review_overdue: true });
    const gap = reviewGap(figure, articleEvidence(figure));
    expect(gap.score).toBe(2 * gapWeights.ticketAfterReading + gapWeights.overdueReview);
    expect(gap.parts.map((part) => part.label)).toEqual([
      'tickets filed within 24 h after reading it',
      'review overdue',
    ]);
    expect(gap.evidence.article?.slug).toBe('export-payroll');
  });
});
