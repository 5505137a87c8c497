import { Link } from '@remix-run/react';
import { number, percent, satisfactionCell } from '~/components/dashboard';
import { resolutionChartLabels } from '~/models/analytics/gap-labels';
import {
  attainmentCell,
  minutesCell,
  ReportSection,
  ReportTableBlock,
  WideTable,
} from './report-parts';
import type { TeamReportData as Report } from './route';

// The reports' sections about people: satisfaction, agents and organisations.

export function SatisfactionSection({ report, query }: { report: Report; query: string }) {
  const { satisfaction } = report;
  return (
    <ReportSection id="satisfaction-title" title="Satisfaction" query={query}>
      <p className="muted">
        {satisfaction.ratings === 0
          ? 'No ratings yet: requesters are asked “good or bad?” when their ticket is solved.'
          : `${number(satisfaction.ratings)} ${satisfaction.ratings === 1 ? 'rating' : 'ratings'} · ${percent(satisfaction.good_share)} good · ${number(satisfaction.bad)} bad. Each rating counts for the agent who solved the ticket.`}
      </p>
      <div className="gaps-groups">
        <ReportTableBlock
          id="satisfaction-agent-title"
          title="By agent"
          table="satisfaction-by-agent"
          query={query}
          empty="No ratings yet."
          columns={['Agent', 'Satisfaction']}
          rows={satisfaction.by_agent.map((row) => [row.agent, satisfactionCell(row)])}
        />
        <ReportTableBlock
          id="satisfaction-category-title"
          title="By category"
          table="satisfaction-by-category"
          query={query}
          empty="No ratings yet."
          columns={['Category', 'Satisfaction']}
          rows={satisfaction.by_category.map((row) => [row.category, satisfactionCell(row)])}
        />
        <ReportTableBlock
          id="satisfaction-kind-title"
          title="By what resolved it"
          table="satisfaction-by-resolution"
          query={query}
          empty="No ratings yet."
          columns={['Resolved with', 'Satisfaction']}
          rows={
            satisfaction.ratings === 0
              ? []
              : satisfaction.by_resolution.map((row) => [
                  resolutionChartLabels[row.kind],
                  satisfactionCell(row),
                ])
          }
        />
      </div>
    </ReportSection>
  );
}

export function AgentsSection({ report, query }: { report: Report; query: string }) {
  return (
    <ReportSection id="agents-title" title="Agents" table="agents" query={query}>
      <p className="muted">
        A ticket counts for the agent who has it, or else the one who solved it.
      </p>
      {report.agents.length === 0 ? (
        <p className="empty-state">No agent replied to or solved a ticket in this range.</p>
      ) : (
        <WideTable
          labelledBy="agents-title"
          columns={[
            'Agent',
            'Solved',
            'Median first reply',
            'Median time to solve',
            'Targets met',
            'Satisfaction',
          ]}
          rows={report.agents.map((row) => [
            row.agent,
            number(row.solved),
            minutesCell(row.first_response.median),
            minutesCell(row.resolution.median),
            attainmentCell(row.service_level),
            satisfactionCell(row.satisfaction),
          ])}
        />
      )}
    </ReportSection>
  );
}

export function OrganizationsSection({ report, query }: { report: Report; query: string }) {
  return (
    <ReportSection
      id="organizations-title"
      title="Organisations"
      table="organizations"
      query={query}
    >
      {report.organizations.length === 0 ? (
        <p className="empty-state">No ticket was filed or solved in this range.</p>
      ) : (
        <WideTable
          labelledBy="organizations-title"
          columns={['Organisation', 'Created', 'Solved', 'Satisfaction']}
          rows={report.organizations.map((row) => [
            row.organization_id === null ? (
              <span className="muted">{row.organization}</span>
            ) : (
              <Link to={`/agent/orgs/${row.organization_id}`}>{row.organization}</Link>
            ),
            number(row.created),
            number(row.solved),
            satisfactionCell(row.satisfaction),
          ])}
        />
      )}
    </ReportSection>
  );
}
