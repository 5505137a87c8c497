import type { Database } from '#db/client';
import type { Visibility } from '#db/schema';
import { audienceNames, audienceRows, type AudienceRow } from '~/models/visibility.server';
import { rangeBounds, type DateRange } from './date-range';
import { memberRequester, subjectTotals } from './figures.server';
import { metrics } from './rollup.server';

/**
 * Self-service by audience: of the content that resolved tickets, that readers marked as solving
 * their problem, and that they opened from a suggestion instead of asking, how much was public,
 * for signed-in people, for a group or organisation, or internal. Tells a team whether what
 * resolves tickets is content customers can find for themselves.
 */

export type AudienceFigure = {
  /** Who may read it, in words: "Everyone", "Signed-in people", group names, "Internal". */
  audience: string;
  visibility: Visibility;
  tickets_resolved: number;
  self_resolutions: number;
  suggestions_opened: number;
};

// The narrower rule wins: an article passes its own rule and its category's.
const narrowness: Record<Visibility, number> = {
  public: 0,
  signed_in: 1,
  audience: 2,
  internal: 3,
};

type Rule = { visibility: Visibility; audience: AudienceRow[] };

function effectiveRule(own: Rule | null, category: Rule | null): Rule {
  const rules = [own, category].filter((rule) => rule !== null);
  return rules.reduce<Rule>(
    (narrowest, rule) =>
      narrowness[rule.visibility] > narrowness[narrowest.visibility] ? rule : narrowest,
    { visibility: 'public', audience: [] },
  );
}

export async function audienceFigures(db: Database, range: DateRange): Promise<AudienceFigure[]> {
  const { start, end } = rangeBounds(range);
  const [articleSolved, threadSolved, resolved, opened] = await Promise.all([
    subjectTotals(db, metrics.articleSelfResolved, range),
    subjectTotals(db, metrics.threadSelfResolved, range),
    memberRequester(db)
      .innerJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
      .select([
        'resolutions.article_id',
        'resolutions.thread_id',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('resolutions.kind', 'in', ['article', 'thread'])
      .where('resolutions.created_at', '>=', start)
      .where('resolutions.created_at', '<', end)
      .groupBy(['resolutions.article_id', 'resolutions.thread_id'])
      .execute(),
    db
      .selectFrom('events')
      .select(['article_id', 'thread_id', 'data'])
      .where('type', 'in', ['deflection', 'suggestion_opened'])
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .execute(),
  ]);

  type Counts = Omit<AudienceFigure, 'audience' | 'visibility'>;
  const perArticle = new Map<number, Counts>();
  const perThread = new Map<number, Counts>();
  const add = (
    key: { article: number | null; thread: number | null },
    field: keyof Counts,
    n = 1,
  ) => {
    const [map, id] = key.article !== null ? [perArticle, key.article] : [perThread, key.thread];
    if (id === null) return;
    const counts = map.get(id) ?? {
      tickets_resolved: 0,
      self_resolutions: 0,
      suggestions_opened: 0,
    };
    counts[field] += n;
    map.set(id, counts);
  };
  for (const [id, n] of articleSolved) add({ article: id, thread: null }, 'self_resolutions', n);
  for (const [id, n] of threadSolved) add({ article: null, thread: id }, 'self_resolutions', n);
  for (const row of resolved)
    add({ article: row.article_id, thread: row.thread_id }, 'tickets_resolved', Number(row.n));
  for (const row of opened)
    if (byReader(row.data))
      add({ article: row.article_id, thread: row.thread_id }, 'suggestions_opened');

  const articleIds = [...perArticle.keys()];
  const threadIds = [...perThread.keys()];
  const [articles, threads] = await Promise.all([
    articleIds.length
      ? db
          .selectFrom('articles')
          .select(['id', 'visibility', 'category_id'])
          .where('id', 'in', articleIds)
          .execute()
      : [],
    threadIds.length
      ? db
          .selectFrom('threads')
          .select(['id', 'category_id'])
          .where('id', 'in', threadIds)
          .execute()
      : [],
  ]);
  const categoryIds = [
    ...new Set(
      [...articles, ...threads].flatMap((row) =>
        row.category_id === null ? [] : [row.category_id],
      ),
    ),
  ];
  const [categories, articleAudience, categoryAudience] = await Promise.all([
    categoryIds.length
      ? db
          .selectFrom('categories')
          .select(['id', 'visibility'])
          .where('id', 'in', categoryIds)
          .execute()
      : [],
    audienceRows(db, 'article', articleIds),
    audienceRows(db, 'category', categoryIds),
  ]);
  const categoryRule = new Map(
    categories.map((row) => [
      row.id,
      { visibility: row.visibility, audience: categoryAudience.get(row.id) ?? [] },
    ]),
  );
  const ruleOf = (categoryId: number | null) =>
    categoryId === null ? null : (categoryRule.get(categoryId) ?? null);
  const rules: { rule: Rule; counts: Counts }[] = [
    ...articles.flatMap((article) => {
      const counts = perArticle.get(article.id);
      const own = {
        visibility: article.visibility,
        audience: articleAudience.get(article.id) ?? [],
      };
      return counts ? [{ rule: effectiveRule(own, ruleOf(article.category_id)), counts }] : [];
    }),
    ...threads.flatMap((thread) => {
      const counts = perThread.get(thread.id);
      return counts ? [{ rule: effectiveRule(null, ruleOf(thread.category_id)), counts }] : [];
    }),
  ];

  const names = await audienceNames(
    db,
    rules.flatMap(({ rule }) => rule.audience),
  );
  const byAudience = new Map<string, AudienceFigure>();
  for (const { rule, counts } of rules) {
    const audience = audienceLabel(rule, names);
    const figure = byAudience.get(audience) ?? {
      audience,
      visibility: rule.visibility,
      tickets_resolved: 0,
      self_resolutions: 0,
      suggestions_opened: 0,
    };
    figure.tickets_resolved += counts.tickets_resolved;
    figure.self_resolutions += counts.self_resolutions;
    figure.suggestions_opened += counts.suggestions_opened;
    byAudience.set(audience, figure);
  }
  return [...byAudience.values()].sort(
    (a, b) =>
      narrowness[a.visibility] - narrowness[b.visibility] || a.audience.localeCompare(b.audience),
  );
}

/** Staff and bots are left out, as in every other figure (rollup.server.ts). */
function byReader(data: string | null): boolean {
  const parsed: unknown = data ? JSON.parse(data) : null;
  if (typeof parsed !== 'object' || parsed === null) return true;
  return !('staff' in parsed && parsed.staff === true) && !('bot' in parsed && parsed.bot === true);
}

function audienceLabel(rule: Rule, names: Awaited<ReturnType<typeof audienceNames>>): string {
  switch (rule.visibility) {
    case 'public':
      return 'Everyone (public)';
    case 'signed_in':
      return 'Signed-in people';
    case 'internal':
      return 'Internal (team only)';
    case 'audience': {
      const listed = rule.audience
        .flatMap((row) =>
          row.group_id !== null
            ? [`Group: ${names.groups.get(row.group_id) ?? `#${row.group_id}`}`]
            : row.organization_id !== null
              ? [
                  `Organisation: ${names.organizations.get(row.organization_id) ?? `#${row.organization_id}`}`,
                ]
              : [],
        )
        .sort();
      return listed.length ? listed.join(', ') : 'Nobody listed';
    }
  }
}
