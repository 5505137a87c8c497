import type { ReactNode } from 'react';
import { Form, Link } from '@remix-run/react';
import type { DateRange } from '~/models/analytics/date-range';
import { rangeOptions } from '~/models/analytics/gap-labels';
import { InlineBar, type Series, type StyledCell } from './charts';

// What the team's dashboards share (/agent/gaps, /agent/reports): the range control, number
// formats, section headers, CSV links and bars in table cells.

export const percent = (value: number | null) =>
  value === null ? '—' : `${Math.round(value * 100)}%`;
export const number = (value: number) => value.toLocaleString('en');
export const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

/** The last 7, 30 or 90 days as tabs, and a custom range form that works without scripts. */
export function DateRangeControl({ range }: { range: DateRange }) {
  return (
    <div className="gaps-range">
      <nav className="tabs" aria-label="Date range">
        {rangeOptions.map((option) => (
          <Link
            key={option.key}
            to={`?range=${option.key}`}
            className={range.key === option.key ? 'tab tab-current' : 'tab'}
            aria-current={range.key === option.key ? 'page' : undefined}
          >
            {option.label}
          </Link>
        ))}
      </nav>
      <Form method="get" className="gaps-custom-range" aria-label="Custom range">
        <input type="hidden" name="range" value="custom" />
        <label>
          From <input type="date" name="from" defaultValue={range.from} required />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={range.to} required />
        </label>
        <button
          type="submit"
          className={
            range.key === 'custom' ? 'button button-small' : 'button button-small button-secondary'
          }
        >
          Custom range
        </button>
      </Form>
    </div>
  );
}

/** A download link for one table; `label` names the table for screen readers. */
export function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="export-link" href={href} download>
      CSV<span className="visually-hidden">: {label}</span>
    </a>
  );
}

export function SectionHeader({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children?: ReactNode;
}) {
  return (
    <header className="gaps-section-header">
      <h2 id={id}>{title}</h2>
      {children ? <div className="gaps-section-tools">{children}</div> : null}
    </header>
  );
}

/** A count with a bar that shows its size against the largest in its list. */
export function barCell(
  value: number,
  max: number,
  tone?: Series['tone'],
  after?: ReactNode,
): StyledCell {
  return {
    className: 'bar-cell',
    content: (
      <>
        <InlineBar value={value} max={max} tone={tone} />
        {value}
        {after}
      </>
    ),
  };
}

/** part of whole as a percentage with its bar: green from 80%, amber from 60%, red below. */
export function InlineShare({
  part,
  whole,
  suffix = '',
}: {
  part: number;
  whole: number;
  suffix?: string;
}) {
  const share = whole > 0 ? part / whole : 0;
  const tone = share >= 0.8 ? 'success' : share >= 0.6 ? 'warning' : 'danger';
  return (
    <>
      <InlineBar value={share} max={1} tone={tone} />
      {percent(share)}
      {suffix}
      <span className="muted"> of {number(whole)}</span>
    </>
  );
}

/** The share of good ratings with its bar, or words when nobody rated: never "0%" of nothing. */
export function satisfactionCell(
  figures: { ratings: number; good: number },
  empty = 'No ratings yet',
): StyledCell {
  if (figures.ratings === 0) return { content: <span className="muted">{empty}</span> };
  return {
    className: 'bar-cell',
    content: <InlineShare part={figures.good} whole={figures.ratings} suffix=" good" />,
  };
}
