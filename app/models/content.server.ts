import type { Database } from '#db/client';
import { extractMentions, renderMarkdown } from '~/utils/markdown.server';
import { uploadImagesIn } from './uploads/uses.server';

export type RenderedContent = { html: string; mentionedUserIds: number[] };

/**
 * Renders a post's Markdown, linking @mentions of people who exist (and only them) and showing
 * uploaded images at their size.
 */
export async function renderContent(db: Database, source: string): Promise<RenderedContent> {
  const candidates = extractMentions(source);
  const uploads = await uploadImagesIn(db, source);
  const users = candidates.length
    ? await db
        .selectFrom('users')
        .select(['id', 'username'])
        .where((eb) => eb(eb.fn('lower', ['username']), 'in', candidates))
        .execute()
    : [];
  const rendered = renderMarkdown(source, {
    mentionable: new Set(users.map((user) => user.username.toLowerCase())),
    uploads,
  });
  const linked = new Set(rendered.mentions);
  return {
    html: rendered.html,
    mentionedUserIds: users
      .filter((user) => linked.has(user.username.toLowerCase()))
      .map((user) => user.id),
  };
}
