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

export default function LoggedMail() {
  const { mail, attempts } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin/email">← Email log</Link>
      </p>
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
          {mail.status}
          {mail.skip_reason ? ` (${mail.skip_reason})` : ''}
          {mail.last_error && mail.status !== 'sent' ? ` — ${mail.last_error}` : ''}
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
      </dl>
      {attempts.length > 0 ? (
        <table className="table table-compact">
          <caption>Attempts</caption>
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
                <td>{formatDate(attempt.created_at)}</td>
                <td className="break-anywhere">
                  {attempt.ok ? '✓ ' : '✗ '}
                  {attempt.response}
                </td>
                <td>{attempt.duration_ms} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>As the recipient sees it</h2>
      {/* The mail's HTML is shown in a sandbox: no scripts, no same-origin access. */}
      <iframe
        title="The mail's HTML part"
        sandbox=""
        srcDoc={mail.html_body}
        style={{
          width: '100%',
          height: '32rem',
          border: '1px solid var(--border)',
          borderRadius: 'var(--radius)',
        }}
      />
      <h2>Plain-text part</h2>
      <pre className="card break-anywhere" style={{ whiteSpace: 'pre-wrap' }}>
        {mail.text_body}
      </pre>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
