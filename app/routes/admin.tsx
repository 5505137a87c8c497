import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';

export const meta: MetaFunction = () => [{ title: 'Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return null;
}

export default function AdminLayout() {
  return (
    <div className="page admin">
      <header className="page-header">
        <p className="eyebrow">Administration</p>
      </header>
      <div className="admin-layout">
        <nav aria-label="Administration" className="side-nav">
          <NavLink to="/admin" end>
            Overview
          </NavLink>
          <NavLink to="/admin/users">Users</NavLink>
          <NavLink to="/admin/organizations">Organizations</NavLink>
          <NavLink to="/admin/groups">Groups</NavLink>
          <NavLink to="/admin/categories">Categories</NavLink>
          <NavLink to="/admin/search">Search</NavLink>
          <NavLink to="/admin/sign-in">Sign-in</NavLink>
          <NavLink to="/admin/api-tokens">API tokens</NavLink>
          <NavLink to="/admin/webhooks">Webhooks</NavLink>
          <NavLink to="/admin/ticket-fields">Ticket fields</NavLink>
          <NavLink to="/admin/sla">Service levels</NavLink>
          <NavLink to="/admin/email">Email</NavLink>
          <NavLink to="/admin/uploads">Uploads</NavLink>
          <NavLink to="/admin/moderation">Moderation</NavLink>
          <NavLink to="/mod/log">Audit log</NavLink>
        </nav>
        <div className="admin-content">
          <Outlet />
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
