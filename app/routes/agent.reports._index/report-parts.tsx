import type { ReactNode } from 'react';
import { NumbersTable, type StyledCell, type TableCell } from '~/components/charts';
import { CsvLink, InlineShare, SectionHeader } from '~/components/dashboard';
import { teamReportTables, type TeamReportTable } from '~/models/analytics/report-labels';
import { formatMinutes } from '~/models/analytics/report-stats';

// Pieces every section of the team reports uses.

export function ReportCsvLink({ table, query }: { table: TeamReportTable; query: string }) {
  return (
    <CsvLink href={`/agent/reports/export/${table}?${query}`} label={teamReportTables[table]} />
  );
}

/** One card of the reports: a heading, the CSV of its table, and what it shows. */
export function ReportSection({
  id,
  title,
  table,
  query,
  children,
}: {
  id: string;
  title: string;
  table?: TeamReportTable;
  query: string;
  children: ReactNode;
}) {
  return (
    <section className="card gaps-section" aria-labelledby={id}>
      <SectionHeader id={id} title={title}>
        {table ? <ReportCsvLink table={table} query={query} /> : null}
      </SectionHeader>
      {children}
    </section>
  );
}

/** A table under its own heading with its CSV link, or a line saying why it is empty. */
export function ReportTableBlock({
  id,
  title,
  table,
  query,
  empty,
  columns,
  rows,
}: {
  id: string;
  title: string;
  table: TeamReportTable;
  query: string;
  empty: string;
  columns: string[];
  rows: TableCell[][];
}) {
  return (
    <div>
      <div className="gaps-group-header">
        <h3 id={id}>{title}</h3>
        <ReportCsvLink table={table} query={query} />
      </div>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <WideTable labelledBy={id} columns={columns} rows={rows} />
      )}
    </div>
  );
}

/** A table that may be wider than the screen, named by the heading above it. */
export function WideTable({
  labelledBy,
  columns,
  rows,
}: {
  labelledBy: string;
  columns: string[];
  rows: TableCell[][];
}) {
  return (
    <div className="table-wrap">
      <NumbersTable visible labelledBy={labelledBy} table={{ columns, rows }} />
    </div>
  );
}

/** Business minutes as "2 h 15 min", or a muted dash when there were none. */
export function minutesCell(minutes: number | null): TableCell {
  return minutes === null ? <span className="muted">—</span> : formatMinutes(minutes);
}

/** Targets met out of those that came due, with a bar; words when none did. */
export function attainmentCell(level: { met: number; breached: number }): StyledCell {
  const total = level.met + level.breached;
  if (total === 0) return { content: <span className="muted">No targets due</span> };
  return {
    className: 'bar-cell',
    content: <InlineShare part={level.met} whole={total} />,
  };
}
