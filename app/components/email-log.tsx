import { Form, Link, useSearchParams } from '@remix-run/react';
import { formatDate } from '~/utils/dates';
import { TabLinks } from './tab-links';

/** Sent and received mail: the two halves of the admin's email log. */
export function EmailTabs() {
  return (
    <TabLinks
      label="Email log"
      tabs={[
        { to: '/admin/email', label: 'Sent' },
        { to: '/admin/email/received', label: 'Received' },
      ]}
    />
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

/**
 * The email log's filters: an address and one choice (status, outcome); with a link back to
 * everything while a filter is set.
 */
export function EmailLogFilters({
  label,
  address,
  choice,
  allTo,
}: {
  label: string;
  address: string;
  choice: {
    name: string;
    label: string;
    value: string;
    options: readonly { value: string; label: string }[];
  };
  allTo: string;
}) {
  const filtered = address !== '' || choice.value !== 'all';
  return (
    <Form method="get" className="log-filters" role="search" aria-label={label}>
      <div className="field">
        <label htmlFor="email-address">Address</label>
        <input
          id="email-address"
          name="address"
          type="search"
          defaultValue={address}
          placeholder="name@example.com"
        />
      </div>
      <div className="field">
        <label htmlFor="email-choice">{choice.label}</label>
        <select id="email-choice" name={choice.name} defaultValue={choice.value}>
          {choice.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary">
        Filter
      </button>
      {filtered ? <Link to={allTo}>Show all mail</Link> : null}
    </Form>
  );
}

/** Newer and older pages of the log, keeping its filters (and dropping a one-time notice). */
export function EmailLogPager({
  page,
  hasMore,
  notice,
}: {
  page: number;
  hasMore: boolean;
  notice: string;
}) {
  const [searchParams] = useSearchParams();
  if (page <= 1 && !hasMore) return null;
  const pageLink = (to: number) => {
    const next = new URLSearchParams(searchParams);
    next.set('page', String(to));
    next.delete(notice);
    return `?${next.toString()}`;
  };
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? <Link to={pageLink(page - 1)}>← Newer</Link> : <span />}
      {hasMore ? <Link to={pageLink(page + 1)}>Older →</Link> : null}
    </nav>
  );
}
