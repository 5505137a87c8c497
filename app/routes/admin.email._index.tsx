import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { Address, EmailLogFilters, EmailLogPager, EmailTabs, When } from '~/components/email-log';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Notice } from '~/components/forms';
import { IntentButton } from '~/components/posts';
import { emailLogFilters } from '~/models/mail/kinds';
import { readLogFilter } from '~/models/mail/log-filter.server';
import { emailLog } from '~/models/mail/log.server';
import { resendMail } from '~/models/mail/sender.server';
import { maxAttempts } from '~/models/outbox.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Email log · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const { choice: status, ...rest } = readLogFilter(request.url, 'status', emailLogFilters);
  const filter = { ...rest, status };
  const log = await emailLog(getDb(), filter);
  return { ...log, filter, maxAttempts };
}

const resendSchema = z.object({
  intent: z.literal('resend'),
  mailId: z.coerce.number().int().positive(),
});

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, 'admin');
  const parsed = resendSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success || !(await resendMail(getDb(), parsed.data.mailId)))
    throw new Response('Not found', { status: 404 });
  const back = new URL(request.url);
  back.searchParams.set('resent', String(parsed.data.mailId));
  return redirect(`${back.pathname}${back.search}`);
}

const statusLabels = {
  sent: 'sent',
  failed: 'failed',
  skipped: 'skipped',
  queued: 'queued',
  sending: 'sending',
};

function statusClass(status: string, retrying: boolean) {
  if (status === 'sent') return 'status status-delivery-delivered';
  if (status === 'failed' || retrying) return 'status status-delivery-failed';
  return 'status';
}

export default function EmailLog() {
  const { mails, hasMore, filter, maxAttempts } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const filtered = filter.address !== '' || filter.status !== 'all';
  return (
    <>
      <h1>Email log</h1>
      <EmailTabs />
      <p className="muted">
        Every mail the help center sends or decides not to send. Failed mails are retried for more
        than a day; resend any mail with the same Message-ID.
      </p>
      <Notice>{searchParams.has('resent') ? 'The mail is queued again.' : null}</Notice>
      <EmailLogFilters
        label="Filter the email log"
        address={filter.address}
        choice={{
          name: 'status',
          label: 'Status',
          value: filter.status,
          options: emailLogFilters.map((status) => ({
            value: status,
            label: status === 'all' ? 'All' : status[0]?.toUpperCase() + status.slice(1),
          })),
        }}
        allTo="/admin/email"
      />
      {mails.length === 0 ? (
        <p className="empty-state">
          {filtered
            ? 'No mail matches these filters.'
            : 'No mail yet. Confirmations, replies and notifications appear here as they are sent.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table email-log">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => {
                const retrying = mail.status === 'queued' && mail.last_error !== null;
                const when = mail.sent_at ?? mail.created_at;
                return (
                  <tr key={mail.id}>
                    <td className="email-log-to">
                      {mail.to_name ? <div>{mail.to_name}</div> : null}
                      <div className="muted break-anywhere">
                        <Address value={mail.to_address} />
                      </div>
                    </td>
                    <td className="break-anywhere">
                      <Link to={`/admin/email/${mail.id}`}>{mail.subject}</Link>
                      <div className="muted">
                        <code>{mail.kind}</code>
                      </div>
                    </td>
                    <td className="email-log-status">
                      <span className={statusClass(mail.status, retrying)}>
                        {retrying ? 'failed, retrying' : statusLabels[mail.status]}
                      </span>
                      {mail.status === 'skipped' && mail.skip_reason ? (
                        <div className="muted">{mail.skip_reason}</div>
                      ) : null}
                      {mail.last_error && mail.status !== 'sent' ? (
                        <div className="muted break-anywhere">{mail.last_error}</div>
                      ) : null}
                      {retrying && mail.next_attempt_at ? (
                        <div className="muted">
                          attempt {mail.attempts} of {maxAttempts}; next{' '}
                          {formatDate(mail.next_attempt_at)}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <When iso={when} />
                    </td>
                    <td className="email-log-actions">
                      {/* NOTE: a skipped mail stays unsent: resending it would overrule the
                          recipient's own choice or go to an unconfirmed address. */}
                      {mail.status === 'sending' || mail.status === 'skipped' ? null : (
                        <IntentButton intent="resend" fields={{ mailId: mail.id }}>
                          Resend
                        </IntentButton>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <EmailLogPager page={filter.page} hasMore={hasMore} notice="resent" />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
