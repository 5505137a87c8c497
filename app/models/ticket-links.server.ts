import { marked, type Tokens } from 'marked';
import type { Database } from '#db/client';
import type { LinkRelation, LinkTarget, Visibility } from '#db/schema';
import { markdownToText } from '~/utils/markdown.server';
import {
  answerPath,
  articlePath,
  parseContentUrl,
  questionPath,
  type ContentReference,
} from '#lib/content-urls';
import type { Failure } from '~/utils/result';
import { audienceMarkers } from './knowledge-base.server';
import { siteUrl } from './mail/config.server';
import {
  articleVisibleSql,
  canSeeArticle,
  canSeeThread,
  seesEverything,
  threadVisibleSql,
  type Viewer,
} from './visibility.server';

// What a ticket is about: the threads, answers and articles linked to it.

export type LinkInput = { type: LinkTarget; id: number };

/**
 * The thread, answer or article a link points at, if it exists (answers carry their thread).
 * `public` says whether it is out for readers at all (threads and answers in view, published
 * articles); who among them may see it is `visibility` and `categoryId` (visibility.server.ts).
 */
export async function findLinkTarget(db: Database, target: LinkInput) {
  if (target.type === 'article') {
    const article = await db
      .selectFrom('articles')
      .select(['id', 'title', 'slug', 'status', 'visibility', 'category_id'])
      .where('id', '=', target.id)
      .executeTakeFirst();
    return article
      ? {
          ...target,
          title: article.title,
          url: articlePath(article.slug),
          threadId: null,
          public: article.status === 'published',
          visibility: article.visibility,
          categoryId: article.category_id,
        }
      : null;
  }
  if (target.type === 'thread') {
    const thread = await db
      .selectFrom('threads')
      .select(['id', 'title', 'slug', 'category_id'])
      .where('id', '=', target.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return thread
      ? {
          ...target,
          title: thread.title,
          url: questionPath(thread),
          threadId: thread.id,
          public: true,
          visibility: null,
          categoryId: thread.category_id,
        }
      : null;
  }
  const post = await db
    .selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'posts.id',
      'threads.id as thread_id',
      'threads.title',
      'threads.slug',
      'threads.category_id',
    ])
    .where('posts.id', '=', target.id)
    .where('posts.deleted_at', 'is', null)
    .where('threads.deleted_at', 'is', null)
    .executeTakeFirst();
  return post
    ? {
        ...target,
        title: `Answer on “${post.title}”`,
        url: answerPath({ id: post.thread_id, slug: post.slug }, post.id),
        threadId: post.thread_id,
        public: true,
        visibility: null,
        categoryId: post.category_id,
      }
    : null;
}

type LinkedTarget = {
  id: number;
  public: boolean;
  visibility: Visibility | null;
  categoryId: number | null;
};

/** Whether this viewer may open a link target: out for readers, and passing the rule. */
export async function canSeeLinkTarget(
  db: Database,
  viewer: Viewer,
  target: LinkedTarget,
): Promise<boolean> {
  if (seesEverything(viewer)) return true;
  if (!target.public) return false;
  return target.visibility === null
    ? canSeeThread(db, viewer, { category_id: target.categoryId })
    : canSeeArticle(db, viewer, {
        id: target.id,
        visibility: target.visibility,
        category_id: target.categoryId,
      });
}

/** The threads, answers and articles linked to a ticket, with titles and URLs. */
export async function linksOf(db: Database, ticketId: number) {
  const rows = await db
    .selectFrom('ticket_links')
    .select(['id', 'target_type', 'target_id', 'relation', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
  const links = await Promise.all(
    rows.map(async (row) => {
      const target = await findLinkTarget(db, { type: row.target_type, id: row.target_id });
      if (!target) return null;
      return {
        ...row,
        title: target.title,
        url: target.url,
        threadId: target.threadId,
        public: target.public,
        visibility: target.visibility,
        categoryId: target.categoryId,
      };
    }),
  );
  return links.filter((link) => link !== null);
}

/**
 * The links a ticket's requester is shown: what the ticket is about (not the team's "related"
 * reading), and only pages they may open. A link to an internal article, or to a thread in a
 * category they are not in, is left out: its title is not theirs to see either.
 */
export async function linksForRequester<
  Link extends { relation: LinkRelation; target_id: number } & Omit<LinkedTarget, 'id'>,
>(db: Database, links: Link[], viewer: Viewer): Promise<Link[]> {
  const shown = await Promise.all(
    links.map(async (link) =>
      link.relation !== 'related' &&
      (await canSeeLinkTarget(db, viewer, { ...link, id: link.target_id }))
        ? link
        : null,
    ),
  );
  return shown.filter((link) => link !== null);
}

/** Whether a link's address is one of ours: a site path, or the site's own address. */
function ownAddress(href: string): string | null {
  if (/^\/(?![/\\])/.test(href)) return href;
  const site = siteUrl();
  return href.startsWith(`${site}/`) ? href.slice(site.length) : null;
}

/**
 * Which of these addresses point at a page of ours this viewer may not open (an article or
 * thread hidden from them, or one not out for readers). Addresses that name nothing of ours, or
 * nothing that exists, are left alone: they hide nothing.
 */
export async function hiddenContentAddresses(
  db: Database,
  viewer: Viewer,
  hrefs: string[],
): Promise<Set<string>> {
  const hidden = new Set<string>();
  if (seesEverything(viewer)) return hidden;
  for (const href of new Set(hrefs)) {
    const path = ownAddress(href.replaceAll('&amp;', '&'));
    const reference = path ? parseContentUrl(path) : null;
    if (reference && !(await canOpen(db, viewer, reference))) hidden.add(href);
  }
  return hidden;
}

async function canOpen(db: Database, viewer: Viewer, reference: ContentReference) {
  if (reference.type === 'article') {
    const exists = await db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', reference.slug)
      .executeTakeFirst();
    if (!exists) return true;
    const visible = await db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', reference.slug)
      .where('status', '=', 'published')
      .where('hidden_at', 'is', null)
      .where(articleVisibleSql(viewer))
      .executeTakeFirst();
    return visible !== undefined;
  }
  const threadId =
    reference.type === 'thread'
      ? reference.id
      : (
          await db
            .selectFrom('posts')
            .select('thread_id')
            .where('id', '=', reference.id)
            .executeTakeFirst()
        )?.thread_id;
  if (threadId === undefined) return true;
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'deleted_at'])
    .where('id', '=', threadId)
    .where(threadVisibleSql(viewer))
    .executeTakeFirst();
  if (thread) return thread.deleted_at === null;
  const exists = await db
    .selectFrom('threads')
    .select('id')
    .where('id', '=', threadId)
    .executeTakeFirst();
  return exists === undefined;
}

// Sanitized HTML has no raw ">" inside a tag and no nested links, so a regex is exact here.
const ANCHOR = /<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g;

/**
 * Sanitized HTML (a reply, as stored) as this viewer should get it: a link to a page they may
 * not open becomes its plain text, so they never get a link that leads to "not found".
 */
export async function withoutHiddenLinksHtml(
  db: Database,
  viewer: Viewer,
  html: string,
): Promise<string> {
  const hrefs = Array.from(html.matchAll(ANCHOR), (match) => match[1] ?? '');
  const hidden = await hiddenContentAddresses(db, viewer, hrefs);
  if (hidden.size === 0) return html;
  return html.replace(ANCHOR, (anchor, href: string, text: string) =>
    hidden.has(href) ? text : anchor,
  );
}

/**
 * Markdown (a reply, as mailed) as this viewer should get it: `[text](hidden page)` becomes its
 * text, and a bare address of a hidden page becomes code, so no mail client makes a link of it.
 */
export async function withoutHiddenLinksMarkdown(
  db: Database,
  viewer: Viewer,
  markdown: string,
): Promise<string> {
  const links: Tokens.Link[] = [];
  marked.walkTokens(marked.lexer(markdown, { gfm: true }), (token) => {
    if (token.type === 'link') links.push(token as Tokens.Link);
  });
  const hidden = await hiddenContentAddresses(
    db,
    viewer,
    links.map((link) => link.href),
  );
  if (hidden.size === 0) return markdown;
  let result = markdown;
  for (const link of links) {
    if (!hidden.has(link.href)) continue;
    const bare = link.raw === link.href || link.raw === `<${link.href}>`;
    result = result.split(link.raw).join(bare ? `\`${link.href}\`` : link.text);
  }
  return result;
}

export async function linkTicket(
  db: Database,
  actorId: number | null,
  ticketId: number,
  target: LinkInput,
  relation: LinkRelation = 'related',
  now = new Date(),
): Promise<{ ok: true; linkId: number } | Failure> {
  const ticket = await db
    .selectFrom('tickets')
    .select('id')
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return { ok: false, status: 404, error: 'That ticket does not exist.' };
  const found = await findLinkTarget(db, target);
  if (!found)
    return {
      ok: false,
      status: 400,
      error: `That ${target.type === 'post' ? 'answer' : target.type} does not exist.`,
    };
  const existing = await db
    .selectFrom('ticket_links')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('target_type', '=', target.type)
    .where('target_id', '=', target.id)
    .executeTakeFirst();
  if (existing) return { ok: true, linkId: existing.id };
  const row = await db
    .insertInto('ticket_links')
    .values({
      ticket_id: ticketId,
      target_type: target.type,
      target_id: target.id,
      relation,
      created_by: actorId,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ok: true, linkId: row.id };
}

export async function unlinkTicket(db: Database, ticketId: number, linkId: number) {
  await db
    .deleteFrom('ticket_links')
    .where('id', '=', linkId)
    .where('ticket_id', '=', ticketId)
    .where('relation', '=', 'related')
    .execute();
}

/**
 * Reads what an agent typed or pasted into the link picker: a search key (thread-12, article-3),
 * a URL of ours (/questions/12/…#answer-34, /kb/slug) or a plain reference (answer 34).
 */
export async function parseLinkReference(db: Database, text: string): Promise<LinkInput | null> {
  const value = text.trim();
  const key = /^(thread|article|post)-(\d{1,12})$/.exec(value);
  if (key) return { type: key[1] as LinkTarget, id: Number(key[2]) };
  const reference = parseContentUrl(value);
  if (reference?.type === 'article') {
    const row = await db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', reference.slug)
      .executeTakeFirst();
    return row ? { type: 'article', id: row.id } : null;
  }
  return reference;
}

/** The answers of threads linked to a ticket, so an agent can link or credit one of them. */
export async function answersOfLinkedThreads(db: Database, threadIds: number[]) {
  if (threadIds.length === 0) return [];
  const rows = await db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'posts.id',
      'posts.thread_id',
      'posts.score',
      'posts.body_md',
      'users.display_name as author_name',
      'threads.accepted_post_id',
    ])
    .where('posts.thread_id', 'in', threadIds)
    .where('posts.deleted_at', 'is', null)
    .orderBy('posts.score', 'desc')
    .orderBy('posts.id')
    .limit(50)
    .execute();
  return rows.map(({ body_md, accepted_post_id, ...row }) => ({
    ...row,
    accepted: accepted_post_id === row.id,
    excerpt: markdownToText(body_md, 160),
  }));
}

export type Reach = {
  /** The requester cannot open it: a link to it in a public reply arrives as plain text. */
  hiddenFromRequester: boolean;
  /** Who may read it, for the team ("Internal", "Signed-in people", group names). */
  markers: string[];
};

/**
 * For the agent working a ticket: of these pages (keys like article-3, thread-12, post-34),
 * which the requester cannot open, and who may read each article.
 */
export async function reachOf(
  db: Database,
  agent: Viewer,
  requester: Viewer,
  keys: string[],
): Promise<Record<string, Reach>> {
  const reach: Record<string, Reach> = {};
  const targets = await Promise.all(
    [...new Set(keys)].map(async (key) => {
      const reference = /^(thread|article|post)-\d+$/.test(key)
        ? await parseLinkReference(db, key)
        : null;
      const target = reference && (await findLinkTarget(db, reference));
      return target ? { key, target } : null;
    }),
  );
  const found = targets.filter((entry) => entry !== null);
  const articles = found.flatMap(({ target }) =>
    target.type === 'article' && target.visibility !== null
      ? [{ id: target.id, visibility: target.visibility, category_id: target.categoryId }]
      : [],
  );
  const markers = await audienceMarkers(db, agent, articles);
  for (const { key, target } of found)
    reach[key] = {
      hiddenFromRequester: !(await canSeeLinkTarget(db, requester, target)),
      markers: target.type === 'article' ? (markers[target.id] ?? []) : [],
    };
  return reach;
}
