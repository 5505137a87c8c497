import { Link } from '@remix-run/react';
import { formatDate } from '~/utils/dates';

/** Sent and received mail: the two halves of the admin's email log. */
export function EmailTabs({ current }: { current: 'sent' | 'received' }) {
  const tabs = [
    { key: 'sent', label: 'Sent', to: '/admin/email' },
    { key: 'received', label: 'Received', to: '/admin/email/received' },
  ] as const;
  return (
    <nav className="tabs" aria-label="Email log">
      {tabs.map((tab) => (
        <Link
          key={tab.key}
          to={tab.to}
          className={tab.key === current ? 'tab tab-current' : 'tab'}
          aria-current={tab.key === current ? 'page' : undefined}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}

/** An address that may wrap after its @ rather than anywhere. */
export function Address({ value }: { value: string }) {
  const at = value.lastIndexOf('@');
  if (at < 0) return <>{value}</>;
  return (
    <>
      {value.slice(0, at + 1)}
      <wbr />
      {value.slice(at + 1)}
    </>
  );
}

/** The day over the time, so the column stays narrow and neither wraps mid-way. */
export function When({ iso }: { iso: string }) {
  const full = formatDate(iso);
  const split = full.lastIndexOf(', ');
  return (
    <time dateTime={iso} className="email-log-when">
      <span>{full.slice(0, split)}</span>
      <span className="muted">{full.slice(split + 2)}</span>
    </time>
  );
}
