import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  return null;
}

export default function AgentLayout() {
  return (
    <div className="page">
      <nav aria-label="Team" className="team-nav">
        <span className="eyebrow">Team</span>
        <NavLink to="/agent/tickets">Tickets</NavLink>
        <NavLink to="/agent/articles" end>
          Articles
        </NavLink>
        <NavLink to="/agent/articles/new">New article</NavLink>
        <NavLink to="/agent/macros">Macros</NavLink>
        <NavLink to="/agent/problems">Known issues</NavLink>
        <NavLink to="/agent/gaps">Gaps</NavLink>
        <NavLink to="/agent/reports">Reports</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
