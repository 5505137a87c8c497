import { Link } from '@remix-run/react';
import type { TicketStatus } from '#db/schema';
import { agentStatusLabels } from '~/models/support-labels';

// Cells of the team's ticket tables (the desk, a known issue's tickets).

/** The requester, with their organisation's page under the name. */
export function RequesterCell({
  ticket,
}: {
  ticket: {
    requester_name: string;
    organization_id: number | null;
    organization_name: string | null;
  };
}) {
  return (
    <td>
      {ticket.requester_name}
      {ticket.organization_id ? (
        <div>
          <Link className="muted" to={`/agent/orgs/${ticket.organization_id}`}>
            {ticket.organization_name}
          </Link>
        </div>
      ) : null}
    </td>
  );
}

export function TicketStatusCell({ status }: { status: TicketStatus }) {
  return (
    <td>
      <span className={`status status-ticket-${status}`}>{agentStatusLabels[status]}</span>
    </td>
  );
}
