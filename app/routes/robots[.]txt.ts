import type { LoaderFunctionArgs } from '@remix-run/node';
import { publicOrigin } from '~/utils/public-url.server';

/**
 * Search engines may read what visitors read: questions, articles, categories, tags, profiles and
 * known issues. Search results pages (endless and thin), forms, account pages, the staff desks and
 * the API stay out. Paths are prefixes (RFC 9309); `*` matches any run of characters.
 */
export const keptOut = [
  '/search',
  '/admin',
  '/agent',
  '/mod',
  '/api/',
  '/settings',
  '/notifications',
  '/requests',
  '/groups',
  '/login',
  '/signup',
  '/logout',
  '/forgot-password',
  '/reset-password',
  '/verify-email',
  '/claim',
  '/unsubscribe',
  '/auth/',
  '/questions/ask',
  '/questions/*/edit',
  '/questions/*/revisions',
  '/answers/',
  '/markdown-preview',
  '/flags',
  '/warnings',
];

export function loader({ request }: LoaderFunctionArgs) {
  const lines = [
    'User-agent: *',
    ...keptOut.map((path) => `Disallow: ${path}`),
    '',
    `Sitemap: ${publicOrigin(request)}/sitemap.xml`,
    '',
  ];
  return new Response(lines.join('\n'), {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
