import { NavLink } from '@remix-run/react';

const pages = [
  { to: '/settings/account', label: 'Account' },
  { to: '/settings/notifications', label: 'Mail' },
  { to: '/settings/security', label: 'Sessions' },
];

/** The settings pages, one tab each, shown above every one of them. */
export function SettingsNav() {
  return (
    <nav className="tabs" aria-label="Your settings">
      {pages.map((page) => (
        <NavLink
          key={page.to}
          to={page.to}
          className={({ isActive }) => (isActive ? 'tab tab-current' : 'tab')}
        >
          {page.label}
        </NavLink>
      ))}
    </nav>
  );
}
