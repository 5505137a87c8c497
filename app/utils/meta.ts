import type { MetaDescriptor } from '@remix-run/node';

// Tags that pages share in their `meta`: the site's name, social cards, feed discovery.

/** The site's name, as the root loader gives it to every page (a fallback while it errs). */
export function siteNameOf(matches: readonly { id: string; data?: unknown }[]): string {
  const root = matches.find((match) => match.id === 'root')?.data;
  return typeof root === 'object' && root !== null && 'siteName' in root
    ? String(root.siteName)
    : 'Help center';
}

export type SocialCard = {
  title: string;
  /** Plain text, already short (an excerpt, never Markdown or HTML). */
  description: string;
  /** The page's canonical, absolute address. */
  url: string;
  type: 'article' | 'website';
  /** An absolute image address, when the content has an image. */
  image?: string | null;
};

/**
 * Open Graph and Twitter card tags: what a link to this page shows when it is shared in chat or
 * on social sites. React escapes every value, so a title stays text whatever it holds.
 */
export function socialMeta(card: SocialCard, siteName: string): MetaDescriptor[] {
  const described = card.description
    ? [
        { property: 'og:description', content: card.description },
        { name: 'twitter:description', content: card.description },
      ]
    : [];
  const pictured = card.image
    ? [
        { property: 'og:image', content: card.image },
        { name: 'twitter:image', content: card.image },
      ]
    : [];
  return [
    { property: 'og:title', content: card.title },
    { property: 'og:type', content: card.type },
    { property: 'og:url', content: card.url },
    { property: 'og:site_name', content: siteName },
    { name: 'twitter:card', content: card.image ? 'summary_large_image' : 'summary' },
    { name: 'twitter:title', content: card.title },
    ...described,
    ...pictured,
  ];
}

/** A link that lets feed readers find one of the site's Atom feeds from a page. */
export function feedLink(title: string, href: string): MetaDescriptor {
  return { tagName: 'link', rel: 'alternate', type: 'application/atom+xml', title, href };
}
