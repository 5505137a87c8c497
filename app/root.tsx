import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
} from '@remix-run/react';
import type { ReactNode } from 'react';
import { getSessionCookieUpdate, getUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { VerifyEmailBanner, WarningBanner } from '~/components/deferred';
import { SiteFooter, SiteHeader } from '~/components/site-shell';
import { pendingWarnings } from '~/models/sanctions.server';
import appStyles from '~/styles/app.css?url';
import proseStyles from '~/styles/prose.css?url';
import editorStyles from '~/styles/editor.css?url';
import { unreadNotificationCount } from '~/models/notifications.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { useNonce } from '~/utils/nonce';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appStyles },
  { rel: 'stylesheet', href: proseStyles },
  // Every page but the lists has a Markdown editor; one cached file beats a copy per page.
  { rel: 'stylesheet', href: editorStyles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.siteName ?? 'Help center' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const cookie = await getSessionCookieUpdate(request);
  const [unreadNotifications, warnings] = user
    ? await Promise.all([
        unreadNotificationCount(getDb(), user.id),
        pendingWarnings(getDb(), user.id),
      ])
    : [0, []];
  // Only these settings reach the browser.
  return data(
    {
      siteName: getConfig().SITE_NAME,
      user: user && {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        unreadNotifications,
        warnings: warnings.map((warning) => ({ id: warning.id, reason: warning.reason })),
        unverifiedEmail: user.emailVerifiedAt ? null : user.email,
      },
    },
    cookie ? { headers: { 'Set-Cookie': cookie } } : undefined,
  );
}

export type RootData = typeof loader;

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const rootData = useRouteLoaderData<RootData>('root');
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader siteName={rootData?.siteName ?? 'Help center'} user={rootData?.user ?? null} />
        <main id="main" className="site-main">
          {rootData?.user?.warnings.length ? (
            <WarningBanner warnings={rootData.user.warnings} />
          ) : null}
          {rootData?.user?.unverifiedEmail ? (
            <VerifyEmailBanner email={rootData.user.unverifiedEmail} />
          ) : null}
          {children}
        </main>
        <SiteFooter siteName={rootData?.siteName ?? 'Help center'} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
