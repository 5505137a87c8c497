import { NavLink } from '@remix-run/react';

/** A row of tabs that are pages: the one at the current address is marked (aria-current). */
export function TabLinks({
  label,
  tabs,
}: {
  label: string;
  tabs: { to: string; label: string }[];
}) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end
          className={({ isActive }) => (isActive ? 'tab tab-current' : 'tab')}
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
