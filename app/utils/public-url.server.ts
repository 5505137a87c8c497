import { getConfig } from './config.server';

/**
 * The origin that absolute links on pages, feeds and the sitemap start with: PUBLIC_URL, else the
 * address this request came to (the page cache keys on the host, so copies never mix origins).
 */
export function publicOrigin(request: Request): string {
  return (getConfig().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, '');
}
