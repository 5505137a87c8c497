import type { Database } from '#db/client';
import type { ResolutionKind } from '#db/schema';
import { markArticleSelfResolved, setArticleFeedback } from '~/models/article-feedback.server';
import { recordArticleView } from '~/models/page-views.server';
import { anonymous } from '~/models/visibility.server';
import { resolveTicket } from '~/models/resolutions.server';
import { rate } from '~/models/satisfaction.server';
import { addBusinessMinutes } from '~/models/sla/business-hours';
import { businessHoursOf } from '~/models/sla/targets.server';
import { recordSearch, recordSearchClick, type Searcher } from '~/models/search-events.server';
import { markSelfResolved } from '~/models/threads.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';

/**
 * Ninety days of help-center traffic for the gap dashboard, played through the app's own model
 * functions: readers search, open results, vote and say what solved their problem; customers
 * file tickets and the team records what resolved them. The story it tells:
 * - more people help themselves each week (the self-service score rises);
 * - "export payroll to Sage" is the top gap: searches find nothing and, in the last two weeks,
 *   tickets are answered without content;
 * - the BF-401 bank-feed article does not work (tickets follow reading it, "not helpful" votes);
 * - the answer about duplicate bank transactions keeps solving problems but is no article yet;
 * - "vat return" is searched often and its results are rarely opened;
 * - the team answers within a few business hours and about half the requesters rate the answer:
 *   tickets solved with an article leave them happiest, answers without content least.
 * A fixed random seed makes every run the same for the same "now".
 */

const day = 24 * 60 * 60 * 1000;
const hour = 60 * 60 * 1000;
const minute = 60 * 1000;

/** mulberry32: small, fast, and the same numbers every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

type Found = { query: string; results: number; opens: { article: string } | { thread: string } };
/** Queries that find something, with what the reader opens from the results. */
const foundQueries: Found[] = [
  { query: 'bank feed not updating', results: 9, opens: { article: 'fix-bank-feed-bf-401' } },
  { query: 'bf-401', results: 4, opens: { article: 'fix-bank-feed-bf-401' } },
  { query: 'reauthorize bank', results: 6, opens: { article: 'fix-bank-feed-bf-401' } },
  { query: 'connect bank', results: 8, opens: { article: 'connect-your-bank-feed' } },
  { query: 'reconcile', results: 11, opens: { article: 'reconcile-your-bank-account' } },
  { query: 'first invoice', results: 7, opens: { article: 'create-and-send-your-first-invoice' } },
  { query: 'invoice overdue', results: 5, opens: { article: 'why-is-my-invoice-overdue' } },
  { query: 'free trial', results: 4, opens: { article: 'start-your-free-trial' } },
  { query: 'compare plans', results: 5, opens: { article: 'compare-plans' } },
  { query: 'run payroll', results: 6, opens: { article: 'run-your-first-payroll' } },
  {
    query: 'stripe payouts',
    results: 4,
    opens: { article: 'reconcile-stripe-payouts-clearing-account' },
  },
  { query: 'refund card payment', results: 5, opens: { article: 'refund-a-card-payment' } },
  {
    query: 'opening balances',
    results: 4,
    opens: { article: 'conversion-date-and-opening-balances' },
  },
  {
    query: 'import customers',
    results: 6,
    opens: { article: 'import-customers-and-open-invoices' },
  },
  { query: 'invite accountant', results: 3, opens: { article: 'invite-your-accountant' } },
  { query: 'month end', results: 4, opens: { article: 'month-end-checklist' } },
  {
    query: 'duplicate transactions',
    results: 3,
    opens: { thread: 'Duplicate transactions after reconnecting' },
  },
  {
    query: 'sales tax exempt',
    results: 4,
    opens: { article: 'sales-tax-taxable-and-exempt-products' },
  },
];

/** Queries searched often whose results are rarely opened: the results miss the point. */
const unopenedQueries = [
  { query: 'vat return', results: 6, clickRate: 0.1 },
  { query: 'change company name', results: 3, clickRate: 0.15 },
];

type Missing = {
  queries: string[];
  /** Searches per day at the start and at the end of the 90 days. */
  perDay: [number, number];
  /** What a reader who found nothing opens next (and so the failed search's stage). */
  next?: string;
};

const missingQueries: Missing[] = [
  {
    queries: [
      'export payroll to sage',
      'payroll export sage',
      'sage payroll export',
      'sage 50 payroll',
    ],
    perDay: [0.2, 3],
    next: 'run-your-first-payroll',
  },
  {
    queries: ['foreign currency bank account', 'usd bank feed', 'multi currency bank'],
    perDay: [0.6, 0.9],
    next: 'connect-your-bank-feed',
  },
  {
    queries: ['receipt scanning app', 'scan receipts phone'],
    perDay: [0.5, 0.5],
  },
  { queries: ['cancel subscription data export'], perDay: [0.3, 0.3], next: 'compare-plans' },
  { queries: ['1099 e-file'], perDay: [0.2, 0.35] },
];

type TicketTopic = {
  subjects: string[];
  category: string;
  perWeek: [number, number];
  /** Requesters read this article in the hours before filing. */
  readFirst?: string;
  /** Most of them file from this article's "Still need help?" (which gives the ticket a stage). */
  filedFrom?: string;
  resolved: { kind: ResolutionKind; article?: string; thread?: string; note?: string }[];
  /** Only in the last N days. */
  recentDays?: number;
};

/** What the demo's tickets are about: each topic is one problem, a labelled set for the grouping test. */
export const ticketTopics: TicketTopic[] = [
  {
    subjects: [
      'Bank feed asks to reauthorize again after the BF-401 steps',
      'BF-401 keeps coming back every week',
      'Feed stopped again two days after fixing BF-401',
    ],
    category: 'bank-connections',
    perWeek: [4.5, 2.5],
    readFirst: 'fix-bank-feed-bf-401',
    filedFrom: 'fix-bank-feed-bf-401',
    resolved: [
      { kind: 'article', article: 'fix-bank-feed-bf-401' },
      { kind: 'other', note: 'Bank-side consent limit; escalated to the bank partner.' },
    ],
  },
  {
    subjects: [
      'Duplicate transactions after reconnecting the feed',
      'Every transaction imported twice since Monday',
      'Bank feed doubled all our transactions',
    ],
    category: 'bank-connections',
    perWeek: [3, 2],
    resolved: [{ kind: 'thread', thread: 'Duplicate transactions after reconnecting' }],
  },
  {
    subjects: [
      'Can I export payroll to Sage 50?',
      'Payroll export to Sage fails',
      'Export payroll journals into Sage',
      'Our accountant needs the payroll in Sage',
    ],
    category: 'payroll',
    perWeek: [0, 5],
    recentDays: 16,
    filedFrom: 'run-your-first-payroll',
    resolved: [{ kind: 'none' }],
  },
  {
    subjects: ['Bank account in USD next to our GBP books', 'Foreign currency bank feed setup'],
    category: 'bank-connections',
    perWeek: [1.5, 1.5],
    resolved: [{ kind: 'none' }],
  },
  {
    subjects: ['How do I send my first invoice?', 'Invoice shows as overdue after payment'],
    category: 'invoices-payments',
    filedFrom: 'create-and-send-your-first-invoice',
    perWeek: [4, 1],
    resolved: [
      { kind: 'article', article: 'create-and-send-your-first-invoice' },
      { kind: 'article', article: 'why-is-my-invoice-overdue' },
    ],
  },
  {
    subjects: ['Question about our bill', 'Please change the billing email', 'Login problem'],
    category: 'account-billing',
    perWeek: [3, 1],
    resolved: [{ kind: 'other', note: 'Account change made for the customer.' }],
  },
];

const customers = Array.from({ length: 60 }, (_, index) => ({
  username: `customer${index + 1}`,
  display_name: `Customer ${index + 1}`,
  email: `customer${index + 1}@${['brightsidebakery', 'harborpine', 'northfieldclinic', 'ledger-users'][index % 4]}.example`,
}));

export async function seedAnalytics(db: Database, now = new Date()): Promise<number> {
  const rand = random(20261123);
  // Replies and ratings draw from their own sequence, so the traffic above stays as it was.
  const feedback = random(20261206);
  const hours = await businessHoursOf(db);
  const goodChance: Record<ResolutionKind, number> = {
    article: 0.9,
    thread: 0.8,
    none: 0.55,
    other: 0.7,
    known_issue: 0.75,
  };
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rand() * items.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  };
  const chance = (p: number) => rand() < p;
  /** How many of something, on average `mean` (Poisson-like, small means). */
  const howMany = (mean: number) => {
    let count = 0;
    let rest = mean;
    while (rest > 0) {
      if (chance(Math.min(1, rest))) count += 1;
      rest -= 1;
    }
    return count;
  };
  const lerp = ([from, to]: [number, number], daysAgo: number) =>
    from + ((to - from) * (89 - daysAgo)) / 89;

  const articles = new Map(
    (
      await db
        .selectFrom('articles')
        .select(['id', 'slug'])
        .where('status', '=', 'published')
        // Customers' reading: staff-only articles get none.
        .where('visibility', '=', 'public')
        .execute()
    ).map((row) => [row.slug, row.id]),
  );
  const threads = await db.selectFrom('threads').select(['id', 'title']).execute();
  const threadId = (start: string) => threads.find((thread) => thread.title.startsWith(start))?.id;
  const categories = new Map(
    (await db.selectFrom('categories').select(['id', 'slug']).execute()).map((row) => [
      row.slug,
      row.id,
    ]),
  );
  const agent = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('username', '=', 'sam.rivera')
    .executeTakeFirstOrThrow();
  const organizations = await db
    .selectFrom('organization_domains')
    .select(['domain', 'organization_id'])
    .execute();
  const createdAt = new Date(now.getTime() - 120 * day).toISOString();
  await db
    .insertInto('users')
    .values(
      customers.map((customer) => ({
        ...customer,
        password_hash: null,
        role: 'member' as const,
        organization_id:
          organizations.find((row) => customer.email.endsWith(`@${row.domain}`))?.organization_id ??
          null,
        created_at: createdAt,
      })),
    )
    .execute();
  const customerIds = (
    await db
      .selectFrom('users')
      .select('id')
      .where(
        'username',
        'in',
        customers.map((customer) => customer.username),
      )
      .execute()
  ).map((row) => row.id);

  let events = 0;
  const visitorPool = Array.from({ length: 2400 }, (_, index) => `visitor:demo-${index}`);
  const searcher = (key: string): Searcher => ({
    userId: null,
    visitorKey: key,
    staff: false,
    bot: false,
  });
  const readerOf = (key: string) => ({ key, userId: null });

  const open = async (
    key: string,
    page: { article: string } | { thread: string },
    at: Date,
    query: string,
    position: number,
  ) => {
    const articleId = 'article' in page ? articles.get(page.article) : undefined;
    const thread = 'thread' in page ? threadId(page.thread) : undefined;
    if (!articleId && !thread) return undefined;
    await recordSearchClick(
      db,
      searcher(key),
      {
        key: articleId ? `article-${articleId}` : `thread-${thread}`,
        position,
        query,
        source: 'search',
      },
      at,
    );
    events += 1;
    if (articleId) {
      await recordArticleView(db, articleId, readerOf(key), at);
      events += 1;
    }
    return articleId;
  };

  for (let daysAgo = 89; daysAgo >= 0; daysAgo -= 1) {
    const start = now.getTime() - daysAgo * day - 20 * hour;
    // Never after "now": today's traffic fits in the hours already gone.
    const span = Math.min(20 * hour, now.getTime() - start - minute);
    const time = () => new Date(start + Math.floor(rand() * span));
    // More readers each week as the knowledge base grows (about 30 a day, rising to 65).
    const readers = Math.round(30 + (35 * (89 - daysAgo)) / 89 + (rand() - 0.5) * 8);
    for (let index = 0; index < readers; index += 1) {
      const key = pick(visitorPool);
      let at = time();
      const next = () => {
        at = new Date(at.getTime() + (1 + Math.floor(rand() * 6)) * minute);
        return at;
      };
      let viewed: number | undefined;
      const roll = rand();
      if (roll < 0.55) {
        const found = pick(foundQueries);
        await recordSearch(
          db,
          searcher(key),
          { query: found.query, filters: {}, results: found.results, engine: 'meilisearch' },
          at,
        );
        events += 1;
        if (chance(0.62))
          viewed = await open(key, found.opens, next(), found.query, 1 + Math.floor(rand() * 3));
      } else if (roll < 0.59) {
        const unopened = pick(unopenedQueries);
        await recordSearch(
          db,
          searcher(key),
          { query: unopened.query, filters: {}, results: unopened.results, engine: 'meilisearch' },
          at,
        );
        events += 1;
        if (chance(unopened.clickRate))
          viewed = await open(key, { article: 'month-end-checklist' }, next(), unopened.query, 4);
      } else {
        // Straight to an article from the knowledge base or a link.
        viewed = pick([...articles.values()]);
        await recordArticleView(db, viewed, readerOf(key), at);
        events += 1;
      }
      // Some readers vote, and some say it solved their problem.
      if (viewed !== undefined && chance(0.16)) {
        const isBf401 = viewed === articles.get('fix-bank-feed-bf-401');
        const helpful = chance(isBf401 ? 0.35 : 0.8);
        await setArticleFeedback(
          db,
          viewed,
          anonymous,
          readerOf(key),
          {
            helpful: helpful ? 'yes' : 'no',
            reason: helpful
              ? null
              : isBf401
                ? pick(['did_not_solve', 'outdated'] as const)
                : 'unclear',
            comment: null,
          },
          next(),
        );
        events += 1;
      }
      if (viewed !== undefined && chance(0.08)) {
        await markArticleSelfResolved(db, viewed, anonymous, readerOf(key), next());
        events += 1;
      }
    }

    // Searches that find nothing.
    for (const missing of missingQueries) {
      for (let count = howMany(lerp(missing.perDay, daysAgo)); count > 0; count -= 1) {
        const key = pick(visitorPool);
        const at = time();
        await recordSearch(
          db,
          searcher(key),
          { query: pick(missing.queries), filters: {}, results: 0, engine: 'meilisearch' },
          at,
        );
        events += 1;
        const nextArticle = missing.next ? articles.get(missing.next) : undefined;
        if (nextArticle && chance(0.7)) {
          await recordArticleView(
            db,
            nextArticle,
            readerOf(key),
            new Date(at.getTime() + 3 * minute),
          );
          events += 1;
        }
      }
    }

    // The duplicate-transactions answer keeps helping people.
    const duplicates = threadId('Duplicate transactions after reconnecting');
    if (duplicates && chance(0.45)) {
      await markSelfResolved(db, duplicates, readerOf(pick(visitorPool)), time());
      events += 1;
    }

    // Staff checking the site and a crawler: recorded, never counted.
    if (chance(0.3)) {
      await recordSearch(
        db,
        { userId: agent.id, visitorKey: `user:${agent.id}`, staff: true, bot: false },
        {
          query: pick(missingQueries[0]?.queries ?? ['sage']),
          filters: {},
          results: 0,
          engine: 'meilisearch',
        },
        time(),
      );
      await recordSearch(
        db,
        { userId: null, visitorKey: `visitor:crawler-${daysAgo}`, staff: false, bot: true },
        { query: 'ledgerly pricing', filters: {}, results: 0, engine: 'meilisearch' },
        time(),
      );
      events += 2;
    }

    // Tickets, about one or two a day.
    for (const topic of ticketTopics) {
      if (topic.recentDays !== undefined && daysAgo > topic.recentDays) continue;
      const [first, last] = topic.perWeek;
      const window = topic.recentDays ?? 89;
      const perDay = (first + ((last - first) * (window - daysAgo)) / window) / 7;
      for (let count = howMany(perDay); count > 0; count -= 1) {
        const requester = pick(customerIds);
        const filedAt = time();
        const readFirst = topic.readFirst ? articles.get(topic.readFirst) : undefined;
        const filedFrom = topic.filedFrom ? articles.get(topic.filedFrom) : undefined;
        if (readFirst) {
          const readAt = new Date(filedAt.getTime() - (1 + Math.floor(rand() * 5)) * hour);
          await recordArticleView(
            db,
            readFirst,
            { key: `user:${requester}`, userId: requester },
            readAt,
          );
          events += 1;
        }
        const created = await createTicket(
          db,
          requester,
          {
            subject: pick(topic.subjects),
            body: 'We tried what the help center suggests and still need a hand with this.',
            categoryId: categories.get(topic.category) ?? null,
          },
          filedFrom && chance(0.6)
            ? {
                source: 'article',
                link: { type: 'article', id: filedFrom, relation: 'filed_from' },
                now: filedAt,
              }
            : { source: 'web', now: filedAt },
        );
        if (!created.ok)
          throw new Error(`demo ticket rejected: ${JSON.stringify(created.fieldErrors)}`);
        events += 1;
        // Tickets filed in the last day are still open.
        const solvedAt = new Date(filedAt.getTime() + (4 + Math.floor(rand() * 30)) * hour);
        if (solvedAt.getTime() > now.getTime()) continue;
        // The team's first public reply, 20 minutes to 4 business hours after filing (before the
        // solve, which this story does not keep to opening hours).
        const replyDue = addBusinessMinutes(filedAt, 20 + Math.floor(feedback() * 220), hours);
        const repliedAt = new Date(
          Math.min(replyDue?.getTime() ?? filedAt.getTime(), solvedAt.getTime() - 30 * minute),
        );
        const replied = await addTicketMessage(
          db,
          agent,
          created.id,
          {
            kind: 'reply',
            body: 'Thanks for the details. We are looking into it and will come back to you here.',
          },
          repliedAt,
        );
        if (!replied.ok) throw new Error(`demo reply rejected: ${replied.error}`);
        const how = pick(topic.resolved);
        const thread = how.thread ? threadId(how.thread) : undefined;
        const post = thread
          ? await db
              .selectFrom('threads')
              .select('accepted_post_id')
              .where('id', '=', thread)
              .executeTakeFirst()
          : undefined;
        const resolved = await resolveTicket(
          db,
          agent,
          created.id,
          {
            kind: how.kind,
            articleId: how.article ? articles.get(how.article) : undefined,
            threadId: thread,
            postId: post?.accepted_post_id ?? undefined,
            note: how.note,
          },
          solvedAt,
        );
        if (!resolved.ok) throw new Error(`demo resolution rejected: ${resolved.error}`);
        events += 1;
        const ratedAt = new Date(solvedAt.getTime() + (1 + Math.floor(feedback() * 20)) * hour);
        if (feedback() < 0.55 && ratedAt.getTime() <= now.getTime())
          await rate(
            db,
            created.id,
            { rating: feedback() < goodChance[how.kind] ? 'good' : 'bad', comment: null },
            ratedAt,
          );
      }
    }
  }
  return events;
}
