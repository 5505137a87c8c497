import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth/session.server';
import { Address, EmailLogFilters, EmailLogPager, EmailTabs, When } from '~/components/email-log';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Notice } from '~/components/forms';
import { IntentButton } from '~/components/posts';
import { heldMailText, receivedMailLog } from '~/models/mail/inbound/log.server';
import { readLogFilter } from '~/models/mail/log-filter.server';
import { receivedFilters, type ReceivedFilter } from '~/models/mail/kinds';
import { releaseHeldMail } from '~/models/mail/inbound/receive.server';
import { getDb } from '~/utils/db.server';
import { questionPath } from '#lib/content-urls';

export const meta: MetaFunction = () => [{ title: 'Received mail · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const { choice: outcome, ...rest } = readLogFilter(request.url, 'outcome', receivedFilters);
  const filter = { ...rest, outcome };
  const db = getDb();
  const log = await receivedMailLog(db, filter);
  // Held mail waits for a decision: its text is shown so the admin can judge it here.
  const texts = Object.fromEntries(
    await Promise.all(
      log.messages
        .filter((message) => message.outcome === 'held')
        .map(async (message) => [message.id, await heldMailText(db, message.id)] as const),
    ),
  );
  return { ...log, texts, filter };
}

const releaseSchema = z.object({
  intent: z.literal('release'),
  mailId: z.coerce.number().int().positive(),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin');
  const parsed = releaseSchema.safeParse(Object.fromEntries(await request.formData()));
  const released = parsed.success
    ? await releaseHeldMail(getDb(), parsed.data.mailId, admin)
    : null;
  if (!released) throw new Response('Not found', { status: 404 });
  const back = new URL(request.url);
  back.searchParams.set('released', String(released.id));
  return redirect(`${back.pathname}${back.search}`);
}

const outcomeLabels: Record<Exclude<ReceivedFilter, 'all'> | 'received', string> = {
  received: 'being filed',
  held: 'held for review',
  ticket: 'new ticket',
  ticket_reply: 'ticket reply',
  answer: 'answer',
  comment: 'comment',
  ignored: 'ignored',
  rejected: 'refused',
};

const filterLabels: Record<ReceivedFilter, string> = {
  all: 'All',
  held: 'Held for review',
  ticket: 'New tickets',
  ticket_reply: 'Ticket replies',
  answer: 'Answers',
  comment: 'Comments',
  ignored: 'Ignored',
  rejected: 'Refused',
};

function outcomeClass(outcome: string) {
  if (['ticket', 'ticket_reply', 'answer', 'comment'].includes(outcome))
    return 'status status-delivery-delivered';
  if (outcome === 'held' || outcome === 'rejected') return 'status status-delivery-failed';
  return 'status';
}

export default function ReceivedMail() {
  const { messages, hasMore, texts, filter } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const filtered = filter.address !== '' || filter.outcome !== 'all';
  return (
    <>
      <h1>Email log</h1>
      <EmailTabs />
      <p className="muted">
        Every message that reached the support and reply addresses, and what became of it. Held mail
        waits for you: release it to file it as addressed.
      </p>
      <Notice>{searchParams.has('released') ? 'The mail was filed.' : null}</Notice>
      <EmailLogFilters
        label="Filter received mail"
        address={filter.address}
        choice={{
          name: 'outcome',
          label: 'What became of it',
          value: filter.outcome,
          options: receivedFilters.map((outcome) => ({
            value: outcome,
            label: filterLabels[outcome],
          })),
        }}
        allTo="/admin/email/received"
      />
      {messages.length === 0 ? (
        <p className="empty-state">
          {filtered
            ? 'No received mail matches these filters.'
            : 'No mail received yet. Mail to the support address and replies to notifications appear here.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table email-log">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Subject</th>
                <th scope="col">What became of it</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => {
                const text = texts[message.id];
                return (
                  <tr key={message.id}>
                    <td className="email-log-to break-anywhere">
                      {message.from_address ? (
                        <Address value={message.from_address} />
                      ) : (
                        <span className="muted">no sender</span>
                      )}
                      <div className="muted">
                        to {message.recipients.join(', ')} · {message.received_via.toUpperCase()}
                      </div>
                    </td>
                    <td className="received-subject">
                      {message.subject || <span className="muted">(no subject)</span>}
                      {text ? (
                        <details className="received-text">
                          <summary>Read the mail</summary>
                          <pre>{text}</pre>
                        </details>
                      ) : null}
                    </td>
                    <td className="email-log-status">
                      <span className={outcomeClass(message.outcome)}>
                        {outcomeLabels[message.outcome]}
                      </span>
                      {message.ticket_id ? (
                        <div>
                          <Link to={`/agent/tickets/${message.ticket_id}`}>
                            #{message.ticket_id} {message.ticket_subject}
                          </Link>
                        </div>
                      ) : message.thread_id && message.thread_slug ? (
                        <div>
                          <Link
                            to={questionPath({ id: message.thread_id, slug: message.thread_slug })}
                          >
                            {message.thread_title}
                          </Link>
                        </div>
                      ) : null}
                      {message.reason ? <div className="muted">{message.reason}</div> : null}
                      {message.spf || message.dkim || message.dmarc ? (
                        <div className="muted">
                          SPF {message.spf ?? 'none'} · DKIM {message.dkim ?? 'none'} · DMARC{' '}
                          {message.dmarc ?? 'none'}
                          {message.client_ip
                            ? ` · sent by ${message.client_ip.replace(/^::ffff:/i, '')}${message.client_helo ? ` (${message.client_helo})` : ''}`
                            : ''}
                        </div>
                      ) : null}
                      {message.outcome === 'held' ? (
                        <div className="received-release">
                          <IntentButton intent="release" fields={{ mailId: message.id }}>
                            Release
                          </IntentButton>
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <When iso={message.received_at} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <EmailLogPager page={filter.page} hasMore={hasMore} notice="released" />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
