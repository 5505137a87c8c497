import { Form, Link, useLocation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { Role } from '#db/schema';

export type HeaderUser = {
  username: string;
  displayName: string;
  role: Role;
  unreadNotifications: number;
};

/** The signed-in person's corner of the header: notifications and the account menu. */
export function AccountControls({ user }: { user: HeaderUser }) {
  return (
    <>
      <NotificationBell unread={user.unreadNotifications} />
      <AccountMenu user={user} />
    </>
  );
}

function NotificationBell({ unread }: { unread: number }) {
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <Link to="/notifications" className="bell" aria-label={label} title={label}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
        />
      </svg>
      {unread > 0 ? (
        <span className="bell-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  );
}

function AccountMenu({ user }: { user: HeaderUser }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  // A native <details> opens and closes without JavaScript; with it, the menu also closes on
  // navigation, on Escape and on a click elsewhere, as menus do.
  // Not on the first render: a menu opened before the page hydrated stays open.
  const shownLocation = useRef(location);
  useEffect(() => {
    if (shownLocation.current === location) return;
    shownLocation.current = location;
    if (menu.current) menu.current.open = false;
  }, [location]);
  useEffect(() => {
    function close(focusSummary: boolean) {
      if (!menu.current?.open) return;
      menu.current.open = false;
      if (focusSummary) menu.current.querySelector('summary')?.focus();
    }
    function onClick(event: MouseEvent) {
      if (event.target instanceof Node && !menu.current?.contains(event.target)) close(false);
    }
    function onKeyDown(event: globalThis.KeyboardEvent) {
      if (event.key === 'Escape') close(true);
    }
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, []);

  return (
    <details className="account-menu" ref={menu}>
      <summary aria-haspopup="menu">
        <span className="avatar" aria-hidden="true">
          {initials(user.displayName)}
        </span>
        <span className="account-name">{user.displayName}</span>
      </summary>
      <div className="menu" role="menu" aria-label="Account">
        <p className="menu-heading">
          Signed in as <strong>{user.username}</strong>
          <span className="role-badge">{user.role}</span>
        </p>
        <Link role="menuitem" to={`/users/${encodeURIComponent(user.username)}`}>
          Your profile
        </Link>
        <Link role="menuitem" to="/notifications">
          Notifications
        </Link>
        <Link role="menuitem" to="/requests">
          Your requests
        </Link>
        <Link role="menuitem" to="/settings/account">
          Account settings
        </Link>
        <Link role="menuitem" to="/settings/security">
          Where you are signed in
        </Link>
        {user.role !== 'member' ? (
          <>
            <Link role="menuitem" to="/agent/tickets">
              Tickets
            </Link>
            <Link role="menuitem" to="/agent/articles">
              Articles
            </Link>
          </>
        ) : null}
        {user.role === 'moderator' || user.role === 'admin' ? (
          <Link role="menuitem" to="/mod/queue">
            Review queue
          </Link>
        ) : null}
        {user.role === 'admin' ? (
          <Link role="menuitem" to="/admin">
            Administration
          </Link>
        ) : null}
        <Form method="post" action="/logout">
          <button type="submit" role="menuitem" className="menu-button">
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}

function initials(name: string): string {
  const letters = [...name.trim()].filter((c) => /\p{L}|\p{N}/u.test(c));
  return (letters[0] ?? '?').toUpperCase();
}
