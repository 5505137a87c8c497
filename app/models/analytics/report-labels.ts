// Words for the team reports, shared by the server and the page.

/** The tables /agent/reports can export as CSV. */
export const teamReportTables = {
  volume: 'Tickets created and solved',
  'response-times': 'First reply and resolution times by priority',
  'service-levels': 'Service-level attainment',
  'satisfaction-by-agent': 'Satisfaction by agent',
  'satisfaction-by-category': 'Satisfaction by category',
  'satisfaction-by-resolution': 'Satisfaction by resolution kind',
  backlog: 'Open tickets by age',
  agents: 'Agents',
  organizations: 'Organisations',
} as const;
export type TeamReportTable = keyof typeof teamReportTables;

export function isTeamReportTable(name: string): name is TeamReportTable {
  return Object.hasOwn(teamReportTables, name);
}
