import { Form, Link, NavLink, useFetcher, useLocation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { HeaderSearch } from './search-box';
import type { Role } from '#db/schema';

type HeaderUser = {
  username: string;
  displayName: string;
  role: Role;
  unreadNotifications: number;
} | null;

export function SiteHeader({ siteName, user }: { siteName: string; user: HeaderUser }) {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            {siteName.slice(0, 1).toUpperCase()}
          </span>
          <span className="brand-name">{siteName}</span>
        </Link>
        <nav aria-label="Main" className="main-nav">
          <NavLink to="/kb">Knowledge base</NavLink>
          <NavLink to="/questions">Community</NavLink>
        </nav>
        <HeaderSearch />
        <div className="account">
          {user ? (
            <>
              <NotificationBell unread={user.unreadNotifications} />
              <AccountMenu user={user} />
            </>
          ) : (
            <SignedOutLinks />
          )}
        </div>
      </div>
    </header>
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

function SignedOutLinks() {
  return (
    <>
      <Link to="/login" className="account-link">
        Sign in
      </Link>
      <Link to="/signup" className="button button-small">
        Sign up
      </Link>
    </>
  );
}

function AccountMenu({ user }: { user: NonNullable<HeaderUser> }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  // A native <details> opens and closes without JavaScript; with it, the menu also closes on
  // navigation, on Escape and on a click elsewhere, as menus do.
  useEffect(() => {
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

export function SiteFooter({ siteName }: { siteName: string }) {
  return (
    <footer className="site-footer">
      <div className="site-footer-inner">
        <span>{siteName}</span>
        <nav aria-label="Footer">
          <Link to="/kb">Knowledge base</Link>
          <Link to="/questions">Community</Link>
          <Link to="/requests/new">Contact support</Link>
        </nav>
        <span className="powered">Powered by Commons</span>
      </div>
    </footer>
  );
}

/** A moderator's warning, shown on every page until its reader says they understood. */
export function WarningBanner({ warnings }: { warnings: { id: number; reason: string | null }[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="warning-banner" role="alert">
      <div className="warning-inner">
        <strong>A moderator sent you {warnings.length === 1 ? 'a warning' : 'warnings'}:</strong>
        <ul>
          {warnings.map((warning) => (
            <li key={warning.id}>{warning.reason ?? 'Please follow the community guidelines.'}</li>
          ))}
        </ul>
        <Form method="post" action="/warnings">
          <button type="submit" className="button button-small button-secondary">
            I understand
          </button>
        </Form>
      </div>
    </div>
  );
}

/**
 * Until the account's address is confirmed, no notification mail goes to it: say so on every
 * page, with a button that sends the link again (a plain form post without JavaScript).
 */
export function VerifyEmailBanner({ email }: { email: string | null }) {
  const fetcher = useFetcher<{ notice?: string; formError?: string }>();
  if (email === null) return null;
  const answer = fetcher.data?.notice ?? fetcher.data?.formError;
  return (
    <div
      className="warning-banner verify-banner"
      role="region"
      aria-label="Confirm your email address"
    >
      <div className="warning-inner">
        <p className="verify-text">
          Confirm your email address <strong className="break">{email}</strong> to get replies by
          mail: the link is in the mail we sent you.
        </p>
        {answer ? (
          <p role="status">{answer}</p>
        ) : (
          <fetcher.Form method="post" action="/settings/account">
            <input type="hidden" name="intent" value="resend-verification" />
            <button
              type="submit"
              className="button button-small button-secondary"
              disabled={fetcher.state !== 'idle'}
            >
              Send the link again
            </button>
          </fetcher.Form>
        )}
      </div>
    </div>
  );
}
