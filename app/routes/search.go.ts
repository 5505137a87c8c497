import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { isbot } from 'isbot';
import { z } from 'zod';
import { getUser, getViewer } from '~/auth/session.server';
import { isStaff } from '~/models/permissions';
import { visibleProblem } from '~/models/problems/problems.server';
import { recordSearchClick } from '~/models/search-events.server';
import { canSee } from '~/models/visibility.server';
import { getDb } from '~/utils/db.server';
import { getVisitor, readerKey } from '~/utils/visitor.server';
import { buildDocument } from '#search/documents';

const clickSchema = z.object({
  key: z.string().regex(/^(thread|article|problem)-\d{1,12}$/),
  pos: z.coerce.number().int().min(1).max(10_000).catch(1),
  q: z.string().max(200).catch(''),
  from: z.enum(['search', 'suggest', 'ask', 'ticket', 'mail']).catch('search'),
});

/**
 * A search result's link: records which result was opened at which position, then goes there.
 * The destination comes from the document, never from the URL, so this is no open redirect.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = clickSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response('Not found', { status: 404 });
  const { key, pos, q, from } = parsed.data;
  const [type, id] = key.split('-');
  const db = getDb();
  const user = await getUser(request);
  // A known issue suggested on the contact form: public ones only, like its page.
  const problem = type === 'problem' ? await visibleProblem(db, user, Number(id)) : null;
  const document =
    type === 'problem'
      ? null
      : await buildDocument(db, type === 'thread' ? 'thread' : 'article', Number(id));
  const destination = problem
    ? `/known-issues/${problem.id}`
    : document && canSee(await getViewer(request), document.audience, document.category_audience)
      ? document.url
      : null;
  // Hidden pages are not found either: a guessed key must not tell that one exists.
  if (!destination) throw new Response('Not found', { status: 404 });
  const visitor = getVisitor(request, context.clientAddress);
  await recordSearchClick(
    db,
    {
      userId: user?.id ?? null,
      visitorKey: readerKey(user?.id, visitor.id),
      staff: isStaff(user),
      bot: isbot(request.headers.get('user-agent') ?? ''),
    },
    { key, position: pos, query: q, source: from },
  );
  return redirect(destination);
}
