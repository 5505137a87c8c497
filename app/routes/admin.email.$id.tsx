import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { getLoggedMail } from '~/models/mail/log.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction = () => [{ title: 'Mail · Email log · Administration' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  await requireRole(request, 'admin');
  const found = await getLoggedMail(getDb(), id);
  if (!found) throw new Response('Not found', { status: 404 });
  return found;
}

const statusClasses: Record<string, string> = {
  sent: 'status status-delivery-delivered',
  failed: 'status status-delivery-failed',
};

export default function LoggedMail() {
  const { mail, attempts } = useLoaderData<typeof loader>();
  const retrying = mail.status === 'queued' && mail.last_error !== null;
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/admin/email">Email log</Link>
      </nav>
      <h1 className="break-anywhere">{mail.subject}</h1>
      <dl className="facts">
        <dt>To</dt>
        <dd className="break-anywhere">
          {mail.to_name ? `${mail.to_name} <${mail.to_address}>` : mail.to_address}
        </dd>
        <dt>Kind</dt>
        <dd>
          <code>{mail.kind}</code>
        </dd>
        <dt>Status</dt>
        <dd>
          <span
            className={
              retrying ? 'status status-delivery-failed' : (statusClasses[mail.status] ?? 'status')
            }
          >
            {retrying ? 'failed, retrying' : mail.status}
          </span>
          {mail.skip_reason ? <span className="muted"> {mail.skip_reason}</span> : null}
          {mail.last_error && mail.status !== 'sent' ? (
            <div className="muted break-anywhere">{mail.last_error}</div>
          ) : null}
        </dd>
        <dt>Message-ID</dt>
        <dd>
          <code className="break-anywhere">{mail.message_id}</code>
        </dd>
        {mail.in_reply_to ? (
          <>
            <dt>In reply to</dt>
            <dd>
              <code className="break-anywhere">{mail.in_reply_to}</code>
            </dd>
          </>
        ) : null}
        <dt>Queued</dt>
        <dd>{formatDate(mail.created_at)}</dd>
        {mail.sent_at ? (
          <>
            <dt>Sent</dt>
            <dd>{formatDate(mail.sent_at)}</dd>
          </>
        ) : null}
      </dl>
      <section className="mail-section" aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        {attempts.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Server’s answer</th>
                  <th scope="col">Time</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((attempt) => (
                  <tr key={attempt.id}>
                    <td>
                      <time dateTime={attempt.created_at}>{formatDate(attempt.created_at)}</time>
                    </td>
                    <td className="break-anywhere">
                      <span
                        className={
                          attempt.ok
                            ? 'status status-delivery-delivered'
                            : 'status status-delivery-failed'
                        }
                      >
                        {attempt.ok ? 'accepted' : 'refused'}
                      </span>{' '}
                      {attempt.response}
                    </td>
                    <td>{attempt.duration_ms} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">
            {mail.status === 'skipped'
              ? 'None: this mail was never sent.'
              : 'None yet: the mail is waiting for its turn.'}
          </p>
        )}
      </section>
      <section className="mail-section" aria-labelledby="html-heading">
        <h2 id="html-heading">As the recipient sees it</h2>
        {/* The mail's HTML is shown in a sandbox: no scripts, no same-origin access. */}
        <iframe
          title="The mail's HTML part"
          sandbox=""
          srcDoc={mail.html_body}
          className="mail-preview"
        />
      </section>
      <section className="mail-section" aria-labelledby="text-heading">
        <h2 id="text-heading">Plain-text part</h2>
        <pre className="card mail-text break-anywhere">{mail.text_body}</pre>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
