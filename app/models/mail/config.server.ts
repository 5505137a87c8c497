import { getConfig, type Config } from '~/utils/config.server';

/** Where links in mails point: PUBLIC_URL, else this server on localhost. */
export function siteUrl(config: Config = getConfig()): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** The host part of Message-IDs: MAIL_FROM's domain, else the site's host. */
export function mailHost(config: Config = getConfig()): string {
  const fromDomain = config.MAIL_FROM?.match(/@([A-Za-z0-9.-]+)/)?.[1];
  return (fromDomain ?? new URL(siteUrl(config)).hostname).toLowerCase();
}

/** The sender: MAIL_FROM, else the site's name at no-reply@ the site's host. */
export function mailFrom(config: Config = getConfig()): { name: string; address: string } {
  const configured = config.MAIL_FROM?.match(
    /^\s*(?:"?([^"<]*?)"?\s*<)?\s*([^\s<>]+@[^\s<>]+)\s*>?\s*$/,
  );
  if (configured?.[2])
    return { name: configured[1]?.trim() || config.SITE_NAME, address: configured[2] };
  const host = new URL(siteUrl(config)).hostname;
  return {
    name: config.SITE_NAME,
    address: `no-reply@${host.includes('.') ? host : `${host}.localdomain`}`,
  };
}
