import { Link } from '@remix-run/react';
import { membershipLabels, type Membership } from '~/models/group-words';

/** The groups someone belongs to, and how (by hand, through their organisation, by domain). */
export function GroupMemberships({
  groups,
  empty,
  linkTo,
}: {
  groups: { id: number; name: string; ways: Membership[]; manager: boolean }[];
  empty: string;
  linkTo: (id: number) => string;
}) {
  if (groups.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <ul className="item-list">
      {groups.map((group) => (
        <li key={group.id}>
          <Link to={linkTo(group.id)}>{group.name}</Link>
          {group.manager ? <span className="badge badge-soft">Manager</span> : null}
          <div className="muted">{group.ways.map((way) => membershipLabels[way]).join(', ')}</div>
        </li>
      ))}
    </ul>
  );
}
