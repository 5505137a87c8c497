import path from 'node:path';

// The network's sites that are not <name>.stackexchange.com, by the short name a folder may use.
const ownDomains: Record<string, string> = {
  stackoverflow: 'stackoverflow.com',
  superuser: 'superuser.com',
  serverfault: 'serverfault.com',
  askubuntu: 'askubuntu.com',
  mathoverflow: 'mathoverflow.net',
  stackapps: 'stackapps.com',
};
const networkHost = new RegExp(
  `^(?:(?:[a-z0-9-]+\\.)+stackexchange\\.com|(?:[a-z0-9-]+\\.)*(?:${Object.values(ownDomains)
    .map((domain) => domain.replace(/\./g, '\\.'))
    .join('|')}))$`,
);

/**
 * The site a dump came from, from its folder name: named as Stack Exchange publishes the dumps
 * ("cardano.stackexchange.com", "superuser.com", "meta.stackoverflow.com") or as a short name and
 * the dump's year ("cardano-2021" is cardano.stackexchange.com, "conlang-meta-2020" is
 * conlang.meta.stackexchange.com). Null for any other name: we do not invent an address for the
 * attribution on every imported page.
 */
export function siteOfDump(dir: string): string | null {
  const folder = path.basename(path.resolve(dir)).toLowerCase().replace(/\.7z$/, '');
  if (networkHost.test(folder)) return `https://${folder}`;
  const dated = /^([a-z0-9]+(?:[-.][a-z0-9]+)*)[-_.]\d{4}(?:[-_.]\d{2}){0,2}$/.exec(folder)?.[1];
  if (!dated) return null;
  if (networkHost.test(dated)) return `https://${dated}`;
  if (dated.includes('.')) return null;
  const meta = dated.endsWith('-meta');
  const name = meta ? dated.slice(0, -'-meta'.length) : dated;
  const own = ownDomains[name];
  if (own) return `https://${meta ? 'meta.' : ''}${own}`;
  return `https://${name}${meta ? '.meta' : ''}.stackexchange.com`;
}

/** What to tell someone whose dump folder does not name its site. */
export function unknownSiteMessage(dir: string): string {
  return (
    `The folder name "${path.basename(path.resolve(dir))}" does not say which Stack Exchange site ` +
    `the dump is from, and the attribution on every imported page needs its address. Pass ` +
    `--site https://<site> (or name the folder like cardano.stackexchange.com or cardano-2021).`
  );
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
