import { Link, NavLink, useLocation } from '@remix-run/react';
import type { HeaderUser } from './account-menu';
import { AccountControls } from './deferred';
import { SearchCombobox } from './search-box';

export function SiteHeader({ siteName, user }: { siteName: string; user: HeaderUser | null }) {
  // The home page leads with a large search box of its own; a second one above it would compete.
  const home = useLocation().pathname === '/';
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
        {home ? null : <SearchCombobox variant="header" />}
        <div className="account">{user ? <AccountControls user={user} /> : <SignedOutLinks />}</div>
      </div>
    </header>
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
