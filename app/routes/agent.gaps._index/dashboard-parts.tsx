import type { ReactNode } from 'react';
import { journeyStages } from '#db/schema';
import { NumbersTable, type TableCell } from '~/components/charts';
import { barCell, CsvLink, SectionHeader } from '~/components/dashboard';
import { journeyStageLabels } from '~/models/journey-stages';
import { exportTables, type ExportTable } from '~/models/analytics/gap-labels';

// Small pieces every section of the gap dashboard uses.

export function stageLabel(stage: string) {
  const known = journeyStages.find((candidate) => candidate === stage);
  return known ? journeyStageLabels[known] : 'Unknown';
}

export function ExportLink({ table, query }: { table: ExportTable; query: string }) {
  return <CsvLink href={`/agent/gaps/export/${table}?${query}`} label={exportTables[table]} />;
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
