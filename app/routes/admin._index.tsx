import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { roles } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { listCategories } from '~/models/categories.server';
import { listOrganizations } from '~/models/organizations.server';
import { countUsersByRole } from '~/models/users.server';
import { getDb } from '~/utils/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  const db = getDb();
  const [usersByRole, organizations, categories] = await Promise.all([
    countUsersByRole(db),
    listOrganizations(db),
    listCategories(db),
  ]);
  return { usersByRole, organizationCount: organizations.length, categoryCount: categories.length };
}

export default function AdminOverview() {
  const { usersByRole, organizationCount, categoryCount } = useLoaderData<typeof loader>();
  const totalUsers = roles.reduce((sum, role) => sum + usersByRole[role], 0);
  return (
    <>
      <h1>Overview</h1>
      <div className="stat-grid">
        <Link to="/admin/users" className="card stat">
          <span className="stat-value">{totalUsers}</span>
          <span className="stat-label">People</span>
          <span className="stat-detail">
            {roles
              .map((role) => `${usersByRole[role]} ${role}${usersByRole[role] === 1 ? '' : 's'}`)
              .join(' · ')}
          </span>
        </Link>
        <Link to="/admin/organizations" className="card stat">
          <span className="stat-value">{organizationCount}</span>
          <span className="stat-label">Organizations</span>
          <span className="stat-detail">Customers matched by email domain</span>
        </Link>
        <Link to="/admin/categories" className="card stat">
          <span className="stat-value">{categoryCount}</span>
          <span className="stat-label">Categories</span>
          <span className="stat-detail">Product areas for questions and articles</span>
        </Link>
      </div>
    </>
  );
}
