import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'moderator');
  return null;
}

export default function ModerationLayout() {
  return (
    <div className="page">
      <nav aria-label="Moderation" className="team-nav">
        <span className="eyebrow">Moderation</span>
        <NavLink to="/mod/queue">Review queue</NavLink>
        <NavLink to="/mod/log">Audit log</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
