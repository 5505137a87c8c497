import type { ReactNode } from 'react';
import { journeyStages } from '#db/schema';
import {
  InlineBar,
  NumbersTable,
  type Series,
  type StyledCell,
  type TableCell,
} from '~/components/charts';
import { journeyStageLabels } from '~/models/journey-stages';
import { exportTables, type ExportTable } from '~/models/analytics/gap-labels';

// Small pieces every section of the gap dashboard uses.

export function stageLabel(stage: string) {
  const known = journeyStages.find((candidate) => candidate === stage);
  return known ? journeyStageLabels[known] : 'Unknown';
}

export const percent = (value: number | null) =>
  value === null ? '—' : `${Math.round(value * 100)}%`;
export const number = (value: number) => value.toLocaleString('en');
export const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

export function ExportLink({ table, query }: { table: ExportTable; query: string }) {
  return (
    <a className="export-link" href={`/agent/gaps/export/${table}?${query}`} download>
      CSV<span className="visually-hidden">: {exportTables[table]}</span>
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

/** A ranked list in a table of its own, under a heading with its CSV link, or a line when empty. */
export function RankedTable({
  id,
  title,
  table,
  query,
  empty,
  columns,
  rows,
  level = 3,
}: {
  id: string;
  title: string;
  table: ExportTable;
  query: string;
  empty: string;
  columns: string[];
  rows: TableCell[][];
  level?: 3 | 4;
}) {
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <div className={level === 3 ? undefined : 'gaps-group'}>
      <div className="gaps-group-header">
        <Heading id={id}>{title}</Heading>
        <ExportLink table={table} query={query} />
      </div>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <NumbersTable visible labelledBy={id} table={{ columns, rows }} />
      )}
    </div>
  );
}

/** Tickets solved without content, counted by one grouping (category, tag, similar subject). */
export function GroupTable({
  caption,
  label,
  rows,
  table,
  query,
}: {
  caption: string;
  label: string;
  rows: { label: string; count: number }[];
  table: ExportTable;
  query: string;
}) {
  const max = Math.max(0, ...rows.map((row) => row.count));
  return (
    <RankedTable
      id={`${table}-title`}
      title={caption}
      level={4}
      table={table}
      query={query}
      empty="None in this range."
      columns={[label, 'Tickets']}
      rows={rows.slice(0, 8).map((row) => [row.label, barCell(row.count, max, 'danger')])}
    />
  );
}

/** One card of the dashboard: a heading, the CSV of its main table, and what it shows. */
export function DashboardSection({
  id,
  title,
  table,
  query,
  children,
}: {
  id: string;
  title: string;
  table?: ExportTable;
  query: string;
  children: ReactNode;
}) {
  return (
    <section className="card gaps-section" aria-labelledby={id}>
      <SectionHeader id={id} title={title}>
        {table ? <ExportLink table={table} query={query} /> : null}
      </SectionHeader>
      {children}
    </section>
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
