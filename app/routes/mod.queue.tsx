import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { safeRedirect } from '~/utils/safe-redirect';
import { FormError, Notice } from '~/components/forms';
import { flagReasonLabels, moderationStateLabels } from '~/models/moderation-labels';
import {
  approvalQueue,
  contentActionSchema,
  contentInfo,
  moderateContent,
} from '~/models/moderation.server';
import { flagQueue } from '~/models/flags.server';
import { periodSchema, suspendUser, warnUser } from '~/models/sanctions.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { formError } from '~/utils/forms.server';
import { questionPagePath } from '#lib/content-urls';

export const meta: MetaFunction = () => [{ title: 'Review queue · Moderation' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator');
  const db = getDb();
  const [flagged, waiting] = await Promise.all([flagQueue(db), approvalQueue(db)]);
  return { flagged, waiting };
}

const intents = ['dismiss', 'hide', 'delete', 'restore', 'approve', 'warn', 'suspend'] as const;
const done: Record<(typeof intents)[number], string> = {
  dismiss: 'Flags dismissed.',
  hide: 'Hidden.',
  delete: 'Deleted.',
  restore: 'Restored.',
  approve: 'Approved: everyone can see it now.',
  warn: 'Warning sent.',
  suspend: 'Suspended.',
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'moderator');
  const db = getDb();
  const formData = await request.formData();
  const fields = Object.fromEntries(formData);
  const intent = z.enum(intents).safeParse(fields.intent);
  const target = contentActionSchema.safeParse(fields);
  if (!intent.success || !target.success) return formError(400, 'That action could not be read.');
  const ref = { type: target.data.targetType, id: target.data.targetId };
  const reason = target.data.reason;
  let result: { ok: true } | { ok: false; status: number; error: string };
  if (intent.data === 'warn' || intent.data === 'suspend') {
    const content = await contentInfo(db, ref);
    if (!content) throw new Response('Not found', { status: 404 });
    if (intent.data === 'warn') {
      result = reason
        ? await warnUser(db, user, content.authorId, reason, ref)
        : { ok: false, status: 400, error: 'Say why: the person sees the warning.' };
    } else {
      const period = periodSchema.safeParse(fields);
      result = period.success
        ? await suspendUser(db, user, content.authorId, period.data)
        : {
            ok: false,
            status: 400,
            error: period.error.issues[0]?.message ?? 'Give days and a reason.',
          };
    }
  } else {
    result = await moderateContent(db, user, ref, intent.data, reason);
  }
  if (!result.ok) return formError(result.status, result.error);
  const back = safeRedirect(String(formData.get('returnTo') ?? ''), '/mod/queue');
  const url = new URL(back, 'http://local');
  url.searchParams.set('done', intent.data);
  return redirect(`${url.pathname}${url.search}`);
}

type Ref = { type: 'thread' | 'post' | 'comment' | 'article'; id: number };

function ContentActions({
  refTarget,
  actions,
}: {
  refTarget: Ref;
  actions: (typeof intents)[number][];
}) {
  const labels = {
    dismiss: 'Dismiss flags',
    hide: 'Hide',
    delete: 'Delete',
    restore: 'Restore',
    approve: 'Approve',
    warn: 'Warn the author',
    suspend: 'Suspend the author',
  };
  return (
    <Form method="post" className="queue-actions">
      <input type="hidden" name="targetType" value={refTarget.type} />
      <input type="hidden" name="targetId" value={refTarget.id} />
      <label className="queue-reason">
        Reason <span className="muted">(shown to the author and kept in the log)</span>
        <input name="reason" maxLength={1000} />
      </label>
      <div className="button-row">
        {actions
          .filter((action) => action !== 'suspend')
          .map((action) => (
            <button
              key={action}
              type="submit"
              name="intent"
              value={action}
              className={
                action === 'delete' || action === 'hide'
                  ? 'button button-small button-danger'
                  : action === 'approve' || action === 'restore'
                    ? 'button button-small'
                    : 'button button-small button-secondary'
              }
            >
              {labels[action]}
            </button>
          ))}
        {actions.includes('suspend') ? (
          <span className="inline-field">
            <label>
              for{' '}
              <select name="days" defaultValue="7" aria-label="Suspension length">
                <option value="1">1 day</option>
                <option value="7">7 days</option>
                <option value="30">30 days</option>
                <option value="365">1 year</option>
              </select>
            </label>
            <button
              type="submit"
              name="intent"
              value="suspend"
              className="button button-small button-secondary"
            >
              {labels.suspend}
            </button>
          </span>
        ) : null}
      </div>
    </Form>
  );
}

export default function ReviewQueue() {
  const { flagged, waiting } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const doneKey = searchParams.get('done') as (typeof intents)[number] | null;
  return (
    <>
      <h1>Review queue</h1>
      <Notice>{doneKey && done[doneKey] ? done[doneKey] : null}</Notice>
      <FormError>{actionData?.formError}</FormError>

      <section aria-labelledby="flagged-title">
        <h2 id="flagged-title">
          Flagged <span className="tab-count">{flagged.length}</span>
        </h2>
        {flagged.length === 0 ? (
          <p className="empty-state">No open flags. The community is behaving.</p>
        ) : (
          <ol className="queue">
            {flagged.map((item) => (
              <li key={`${item.ref.type}-${item.ref.id}`} className="card queue-item">
                <div className="queue-head">
                  <span className="suggestion-kind">
                    {item.ref.type === 'post' ? 'answer' : item.ref.type}
                  </span>
                  {item.content ? (
                    <Link to={item.content.url}>{item.content.title}</Link>
                  ) : (
                    'Removed content'
                  )}
                  {item.content?.state ? (
                    <span className="status status-archived">
                      {moderationStateLabels[item.content.state]}
                    </span>
                  ) : null}
                  <span className="muted">
                    {item.flagCount} {item.flagCount === 1 ? 'flag' : 'flags'} · first{' '}
                    {formatDate(item.firstFlaggedAt)}
                  </span>
                </div>
                {item.content ? (
                  <blockquote className="queue-excerpt">{item.content.excerpt}</blockquote>
                ) : null}
                {item.author ? (
                  <p className="muted">
                    By <Link to={`/mod/users/${item.author.id}`}>{item.author.display_name}</Link> (
                    {item.author.username}), joined {formatDate(item.author.created_at)}
                  </p>
                ) : null}
                <ul className="flag-list" aria-label="Flags">
                  {item.flags.map((flag) => (
                    <li key={flag.id}>
                      <strong>{flagReasonLabels[flag.reason]}</strong> by {flag.display_name}
                      {flag.text ? `: “${flag.text}”` : ''}{' '}
                      <span className="muted">{formatDate(flag.created_at)}</span>
                    </li>
                  ))}
                </ul>
                <ContentActions
                  refTarget={item.ref}
                  actions={
                    item.content?.state === 'hidden'
                      ? ['restore', 'delete', 'warn', 'suspend']
                      : ['dismiss', 'hide', 'delete', 'warn', 'suspend']
                  }
                />
                {item.content && item.ref.type !== 'article' && item.ref.type !== 'comment' ? (
                  <p>
                    <Link
                      to={
                        item.ref.type === 'thread'
                          ? questionPagePath(item.ref.id, 'edit')
                          : `/answers/${item.ref.id}/edit`
                      }
                    >
                      Edit it
                    </Link>
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">
          Awaiting approval <span className="tab-count">{waiting.length}</span>
        </h2>
        {waiting.length === 0 ? (
          <p className="empty-state">Nothing is waiting for approval.</p>
        ) : (
          <ol className="queue">
            {waiting.map((item) => (
              <li key={`${item.ref.type}-${item.ref.id}`} className="card queue-item">
                <div className="queue-head">
                  <span className="suggestion-kind">
                    {item.ref.type === 'post' ? 'answer' : item.ref.type}
                  </span>
                  {item.content ? <Link to={item.content.url}>{item.content.title}</Link> : null}
                  <span className="muted">{formatDate(item.at)}</span>
                </div>
                {item.content ? (
                  <blockquote className="queue-excerpt">{item.content.excerpt}</blockquote>
                ) : null}
                {item.author ? (
                  <p className="muted">
                    By <Link to={`/mod/users/${item.author.id}`}>{item.author.display_name}</Link> (
                    {item.author.username}), joined {formatDate(item.author.created_at)}
                  </p>
                ) : null}
                <ContentActions
                  refTarget={item.ref}
                  actions={['approve', 'delete', 'warn', 'suspend']}
                />
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
