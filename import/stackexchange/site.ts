import path from 'node:path';

/**
 * The site a dump came from, from its folder name: "cardano-2021" is cardano.stackexchange.com,
 * "conlang-meta-2020" is conlang.meta.stackexchange.com, "superuser.com" is itself.
 */
export function siteOfDump(dir: string): string {
  const name = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[-_.]\d{4}(?:[-_.]\d{2}){0,2}$/, '');
  if (name.includes('.')) return `https://${name.replace(/\.7z$/, '')}`;
  const meta = name.endsWith('-meta') || name.endsWith('.meta');
  const site = meta ? name.slice(0, -'-meta'.length) : name;
  return `https://${site}${meta ? '.meta' : ''}.stackexchange.com`;
}

/** "Cardano Stack Exchange", "Conlang Meta Stack Exchange": how the origin is named on a page. */
export function siteName(siteUrl: string): string {
  const host = new URL(siteUrl).host;
  const match = /^(.+?)(\.meta)?\.stackexchange\.com$/.exec(host);
  if (!match) return host;
  const title = (match[1] ?? '')
    .split(/[.-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return `${title}${match[2] ? ' Meta' : ''} Stack Exchange`;
}
