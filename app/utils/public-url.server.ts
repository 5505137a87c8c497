import { firstImageSrc } from '#lib/markdown';
import { getConfig } from './config.server';

/**
 * The origin that absolute links on pages, feeds and the sitemap start with: PUBLIC_URL, else the
 * address this request came to (the page cache keys on the host, so copies never mix origins).
 */
export function publicOrigin(request: Request): string {
  return (getConfig().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, '');
}

/**
 * The first image of rendered content as an absolute address (a social card's picture), or
 * null: uploads are served from this site, so their paths get its origin.
 */
export function firstImageUrl(request: Request, html: string): string | null {
  const src = firstImageSrc(html);
  return src ? new URL(src, `${publicOrigin(request)}/`).href : null;
}
