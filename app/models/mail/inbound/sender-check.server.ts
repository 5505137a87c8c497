import dns from 'node:dns';
import { authenticate, type DNSResolver } from 'mailauth';
import type { MailAuthentication } from './authentication-results';

/**
 * Our own SPF, DKIM and DMARC checks of mail the SMTP listener takes straight from the sending
 * server (decision 020). Authentication-Results headers in such mail were written by the sender
 * or by servers before it, so they prove nothing; only a relay the operator trusts
 * (INBOUND_TRUSTED_RELAYS) hands over results we keep.
 */

export type { DNSResolver };

/** The SMTP client that handed a message over, as the listener saw it. */
export type SmtpClient = { ip: string; helo: string };

// Past this the checks give up with "temperror": a sending server waits for our answer to DATA,
// and a slow DNS server must not hold it (or our listener) for minutes.
const checkTimeoutMs = 15_000;

// How long an answer (or "no such record") is reused, and how many are kept.
const dnsCacheMs = 5 * 60_000;
const dnsCacheSize = 10_000;
const answerIsFinal = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * A resolver that reuses answers for five minutes, as the caching DNS server in front of an MX
 * would: mail comes again and again from the same few domains, and each message needs their SPF
 * and DMARC records. "No such record" is kept too; a timeout or server failure is asked again.
 */
export function cachingResolver(resolve: DNSResolver, now = () => Date.now()): DNSResolver {
  const cache = new Map<string, { until: number; answer: ReturnType<DNSResolver> }>();
  return (name, type) => {
    const key = `${type} ${name.toLowerCase()}`;
    const cached = cache.get(key);
    if (cached && cached.until > now()) return cached.answer;
    cache.delete(key);
    if (cache.size >= dnsCacheSize) cache.delete(cache.keys().next().value ?? '');
    const answer = resolve(name, type);
    cache.set(key, { until: now() + dnsCacheMs, answer });
    answer.catch((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      const final = typeof code === 'string' && answerIsFinal.has(code);
      if (!final && cache.get(key)?.answer === answer) cache.delete(key);
    });
    return answer;
  };
}

const systemDns = cachingResolver(
  (name, type) => dns.promises.resolve(name, type) as ReturnType<DNSResolver>,
);

function plainIp(ip: string): string {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** The DKIM verdict over all signatures: pass when one passes, else the first one's result. */
function dkimVerdict(results: { status: { result: string } }[]): string {
  if (results.some((result) => result.status.result === 'pass')) return 'pass';
  return results[0]?.status.result ?? 'none';
}

/**
 * Checks the sending server against the sender's domain: SPF for the envelope sender and the
 * client's IP, every DKIM signature, and DMARC for the From domain. DNS comes from `resolver`
 * (the system's, with answers reused for five minutes, by default); a lookup that fails or takes
 * too long gives "temperror".
 */
export async function checkSender(
  raw: Buffer,
  client: SmtpClient,
  envelopeFrom: string | null,
  options: { mta: string; resolver?: DNSResolver },
): Promise<MailAuthentication> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), checkTimeoutMs);
  });
  try {
    const result = await Promise.race([
      authenticate(raw, {
        ip: plainIp(client.ip),
        helo: client.helo,
        // The null sender of a bounce is checked as postmaster@ the HELO name (RFC 7208 2.4).
        sender: envelopeFrom || `postmaster@${client.helo}`,
        mta: options.mta,
        resolver: options.resolver ?? systemDns,
        // BIMI fetches logos over HTTPS; ARC matters to relays that seal, which we are not.
        disableBimi: true,
        disableArc: true,
      }),
      timedOut,
    ]);
    if (!result) return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror' };
    return {
      spf: result.spf ? result.spf.status.result : 'none',
      dkim: dkimVerdict(result.dkim.results ?? []),
      dmarc: result.dmarc ? result.dmarc.status.result : 'none',
    };
  } catch {
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror' };
  } finally {
    clearTimeout(timer);
  }
}
