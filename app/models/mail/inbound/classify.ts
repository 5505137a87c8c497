/**
 * What kind of mail came in: a person's message, an automatic reply (out of office, list mail)
 * or a bounce. Only a person's message may become a ticket or trigger mail back: answering the
 * others is how two robots end up mailing each other forever.
 */

export type InboundKind = 'message' | 'auto-reply' | 'bounce';

export type MailSignals = {
  /** Unfolded header values by lower-case name, in the order the message lists them. */
  headers: ReadonlyMap<string, readonly string[]>;
  /** The sender's address, lower-case. */
  from: string;
  /** The decoded subject on one line. */
  subject: string;
};

const AUTO_PRECEDENCE = new Set(['bulk', 'junk', 'auto_reply', 'list']);

// The phrase starts the subject and is all of it or ends at a colon ("Automatic reply: Re: ...",
// "Out of Office AutoReply: ..."): a person's "Out of office replies stopped working" is a
// question for support, not an automatic reply.
const AUTO_REPLY_SUBJECT =
  /^(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|abwesenheitsnotiz|réponse automatique)(?:\s+[\p{L}-]+)?\s*(?::|$)/iu;

const DAEMON_SENDER = /^(?:mailer-daemon|postmaster)@/i;
const DELIVERY_FAILURE_SUBJECT =
  /undeliver(?:able|ed)|delivery status notification \(failure\)|mail delivery failed|returned mail|failure notice|delivery (?:has )?failed/i;

const DELIVERY_STATUS_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
]);

/** True for the part of a delivery report that lists the recipients and what became of them. */
export function isDeliveryStatusType(contentType: string): boolean {
  return DELIVERY_STATUS_TYPES.has(contentType.toLowerCase());
}

function first(headers: MailSignals['headers'], name: string): string | null {
  return headers.get(name)?.[0]?.trim() ?? null;
}

/** A bounce when the mail is a delivery report or a mail server's failure notice. */
export function isBounce({ headers, from, subject }: MailSignals): boolean {
  const contentType = first(headers, 'content-type') ?? '';
  if (
    /^multipart\/report\s*;/i.test(contentType) &&
    /;\s*report-type\s*=\s*"?delivery-status"?\s*(?:;|$)/i.test(contentType)
  ) {
    return true;
  }
  return DAEMON_SENDER.test(from) && DELIVERY_FAILURE_SUBJECT.test(subject);
}

/** An automatic reply by the headers RFC 3834 and the big mail systems use, or by its subject. */
export function isAutoReply({ headers, subject }: MailSignals): boolean {
  const autoSubmitted = first(headers, 'auto-submitted');
  if (autoSubmitted !== null && !/^no\b/i.test(autoSubmitted)) return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  const suppress = first(headers, 'x-auto-response-suppress') ?? '';
  if (suppress.split(',').some((value) => value.trim().toLowerCase() === 'all')) return true;
  const precedence = first(headers, 'precedence')?.toLowerCase() ?? '';
  if (AUTO_PRECEDENCE.has(precedence)) return true;
  return AUTO_REPLY_SUBJECT.test(subject.trim());
}

/** The kind of an inbound mail; a bounce is a bounce even when it also says it is automatic. */
export function classifyInboundMail(signals: MailSignals): InboundKind {
  if (isBounce(signals)) return 'bounce';
  if (isAutoReply(signals)) return 'auto-reply';
  return 'message';
}

// NOTE: matching this takes time in proportion to the square of a line's length, so it only ever
// sees the start of a line (addressesIn).
const ADDRESS =
  /[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+/gu;

/**
 * The recipients a delivery-status report (RFC 3464) says failed: their Final-Recipient and
 * Original-Recipient. Recipients only delayed, relayed or delivered are not failures.
 */
export function failedRecipientsOfReport(report: string): string[] {
  const addresses: string[] = [];
  for (const block of report.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    for (const field of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
      const match = /^([\w-]+)[ \t]*:(.*)$/.exec(field);
      if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    if (!/^failed\b/i.test(fields.get('action') ?? '')) continue;
    for (const name of ['final-recipient', 'original-recipient']) {
      // "rfc822; someone@example.com": the address type, then the address.
      const value = fields.get(name)?.replace(/^[\w-]+\s*;/, '') ?? '';
      addresses.push(...addressesIn(value));
    }
  }
  return unique(addresses);
}

// How mail servers start the sentence that names what failed (Exim, qmail, Postfix, Gmail,
// Exchange): the addresses follow on that line or in the paragraph after it.
const FAILURE_STATEMENT =
  /could not be delivered|couldn't be delivered|failed permanently|following (?:address(?:\(es\)|es)?|recipients?) failed|wasn't able to deliver|was not able to deliver|unable to deliver|delivery (?:to the following recipients? )?(?:has )?failed|undeliverable to|permanent (?:error|fatal errors)/i;

/** The failed addresses a plain-text bounce names after its failure statement. */
export function failedRecipientsOfNotice(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const statement = lines.findIndex((line) => FAILURE_STATEMENT.test(line));
  if (statement === -1) return [];
  const found = addressesIn(lines[statement]);
  // The next paragraph lists the recipients; what follows it is usually a copy of the message
  // that bounced, whose headers name us.
  let at = statement + 1;
  while (at < lines.length && found.length === 0) {
    while (at < lines.length && !lines[at]?.trim()) at++;
    for (; at < lines.length && lines[at]?.trim(); at++) {
      found.push(...addressesIn(lines[at]));
    }
    if (at - statement > 40) break;
  }
  return unique(found.filter((address) => !DAEMON_SENDER.test(address)));
}

function addressesIn(line: string | undefined): string[] {
  return line?.slice(0, 1000).match(ADDRESS) ?? [];
}

function unique(addresses: string[]): string[] {
  return [...new Set(addresses.map((address) => address.toLowerCase()))];
}
