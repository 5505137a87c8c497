import { domainToASCII } from 'node:url';
import {
  simpleParser,
  type AddressObject,
  type Attachment,
  type HeaderValue,
  type ParsedMail as Parsed,
  type StructuredHeader,
} from 'mailparser';
import { cleanName } from '~/models/uploads/uploads.server';
import { headerText, isPlainAddress } from '../outbox.server';
import { authenticationResults, type MailAuthentication } from './authentication-results';
import {
  classifyInboundMail,
  failedRecipientsOfNotice,
  failedRecipientsOfReport,
  isDeliveryStatusType,
  type InboundKind,
} from './classify';
import { undecodable } from './encodings.server';
import { mailHtmlToMarkdown } from './html-to-markdown.server';
import { newTextOfReply } from './reply-text';

/**
 * Reading one inbound mail (RFC 822 bytes, as the SMTP listener or the HTTP endpoint received
 * it) into what the help center needs from it. Everything here is data from a stranger: nothing
 * in it is trusted, and a mail that cannot be read is refused with a reason, never a throw.
 */

export type InboundAttachment = { filename: string; contentType: string; content: Buffer };

export type ParsedMail = {
  ok: true;
  /** The sender; the address lower-case with an ASCII domain. */
  from: { address: string; name: string | null };
  to: string[];
  cc: string[];
  /** One line, at most 200 characters; '' when the mail has none. */
  subject: string;
  /** "<id@host>", angle brackets kept, as the outbox stores its own. */
  messageId: string | null;
  inReplyTo: string | null;
  /** The conversation's Message-IDs, oldest first. */
  references: string[];
  /** ISO 8601, or null when the Date header is missing or unreadable. */
  date: string | null;
  /**
   * The body as Markdown: the plain-text part as written, or else the HTML part converted, with
   * nothing of its HTML left. Still to be rendered with the sanitizer like any author's Markdown.
   */
  text: string;
  /** `text` without the quoted history and the signature. */
  newText: string;
  attachments: InboundAttachment[];
  kind: InboundKind;
  /** For a bounce: the addresses that could not be reached. */
  bouncedAddresses: string[];
  authentication: MailAuthentication;
};

export type ParseFailure = {
  ok: false;
  reason: string;
  /** The sender and subject, when the mail was read that far: the admin's log shows them. */
  from?: string;
  subject?: string;
};

const longestSubject = 200;
const longestName = 100;
const longestMessageId = 250;
// A References header can be as long as the headers allow: the root of the conversation (the
// first) and the latest messages are the ones that place a reply.
const mostReferences = 50;

function failure(reason: string): ParseFailure {
  return { ok: false, reason };
}

/** The header lines as values: folding undone, by lower-case name, in the order they appear. */
function headerValues(lines: Parsed['headerLines']): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim();
    const named = values.get(key) ?? [];
    named.push(value);
    values.set(key, named);
  }
  return values;
}

/** A usable address: lower-case, its domain in ASCII (as SMTP needs it), or null. */
function normalAddress(raw: string): string | null {
  const at = raw.lastIndexOf('@');
  if (at < 1) return null;
  const domain = domainToASCII(raw.slice(at + 1));
  const address = `${raw.slice(0, at)}@${domain}`.toLowerCase();
  return domain && isPlainAddress(address) ? address : null;
}

function addressList(header: AddressObject | AddressObject[] | undefined): string[] {
  const entries = (Array.isArray(header) ? header : header ? [header] : []).flatMap(
    (object) => object.value,
  );
  const addresses = entries
    .flatMap((entry) => (entry.group ? entry.group : [entry]))
    .map((entry) => normalAddress(entry.address ?? ''))
    .filter((address) => address !== null);
  return [...new Set(addresses)];
}

/** The sender, or why there is no single readable one. */
function sender(mail: Parsed, headers: Map<string, string[]>): ParsedMail['from'] | ParseFailure {
  const fromHeaders = headers.get('from') ?? [];
  if (fromHeaders.length === 0)
    return failure('The message has no sender: its From header is missing.');
  if (fromHeaders.length > 1) {
    return failure('The message has more than one From header, so its sender is unclear.');
  }
  // A CR or LF left after unfolding means the header hides another header inside it.
  if (/[\r\n]/.test(fromHeaders[0] ?? '')) {
    return failure('The From header contains a line break, so its sender cannot be read safely.');
  }
  const entries = mail.from?.value ?? [];
  const entry = entries[0];
  if (entries.length !== 1 || !entry || entry.group || !entry.address) {
    return failure('The From header does not hold exactly one sender address.');
  }
  const address = normalAddress(entry.address);
  if (!address) return failure(`The sender address (From) is not a valid mail address.`);
  return { address, name: headerText(entry.name, longestName) || null };
}

/** The Message-IDs in a header value: "<id@host>" tokens, or one bare "id@host". */
function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g) ?? [];
  const token = value.trim();
  const bare = !/[<>\s]/.test(token) && /.@./.test(token) ? [`<${token}>`] : [];
  return (bracketed.length ? bracketed : bare).filter((id) => id.length <= longestMessageId);
}

function references(value: string | undefined): string[] {
  const ids = [...new Set(messageIds(value))];
  if (ids.length <= mostReferences) return ids;
  return [...ids.slice(0, 1), ...ids.slice(-(mostReferences - 1))];
}

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const date = new Date(value.replace(/\([^()]*\)/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Text without NULs, other control characters (tab and newline aside) and byte-order marks (iOS
 * starts quoted text with one), with \n line ends.
 */
function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- control characters are what this removes
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/g, '')
      .replace(/^\s*\n/, '')
      .trimEnd()
  );
}

function bodyMarkdown(mail: Parsed): string {
  const text = cleanText(mail.text ?? '');
  if (text.trim()) return text;
  return typeof mail.html === 'string' ? cleanText(mailHtmlToMarkdown(mail.html)) : '';
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'message/rfc822': 'eml',
  'text/rfc822-headers': 'txt',
};

function attachmentName(attachment: Attachment, index: number): string {
  if (attachment.filename?.trim()) return cleanName(attachment.filename);
  const extension = EXTENSIONS[attachment.contentType.toLowerCase()] ?? 'bin';
  return `attachment-${index + 1}.${extension}`;
}

function isStructured(value: HeaderValue | undefined): value is StructuredHeader {
  return (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    'params' in value &&
    typeof value.value === 'string'
  );
}

/**
 * A message cut short in transit (a dropped connection, a relay's size limit) loses its end: the
 * blank line after the headers when it was cut inside them, and a multipart's closing boundary.
 */
function truncation(raw: Buffer, mail: Parsed): ParseFailure | null {
  const start = raw.subarray(0, 2 * 1024 * 1024).toString('latin1');
  if (!/\r?\n\r?\n/.test(start)) {
    return failure('The message ends inside its headers: it looks cut off.');
  }
  const contentType = mail.headers.get('content-type');
  if (!isStructured(contentType) || !/^multipart\//i.test(contentType.value)) return null;
  const boundary = contentType.params.boundary;
  if (!boundary) return failure('The message says it has several parts but names no boundary.');
  if (!raw.includes(`\n--${boundary}--`)) {
    return failure('The message ends before its last part is closed: it looks cut off.');
  }
  return null;
}

/** The failed recipients a bounce names, from its delivery-status part or else its text. */
function bouncedAddresses(mail: Parsed, text: string): string[] {
  const reports = mail.attachments.filter((part) => isDeliveryStatusType(part.contentType));
  const found = reports.length
    ? reports.flatMap((part) => failedRecipientsOfReport(part.content.toString('utf8')))
    : failedRecipientsOfNotice(text);
  return [...new Set(found.map(normalAddress).filter((address) => address !== null))];
}

async function readMail(raw: Buffer): Promise<Parsed | ParseFailure> {
  try {
    return await simpleParser(raw, {
      // The body is taken as text or converted here; links to inline images stay cid: links.
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      // A delivery report's recipient list is read as data, not shown as the body.
      keepDeliveryStatus: true,
    });
  } catch (error) {
    const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
    return failure(`The message could not be read as mail${detail}.`);
  }
}

/** One inbound mail read into its parts, or the reason (for a person) it cannot be taken. */
export async function parseInboundMail(raw: Buffer): Promise<ParsedMail | ParseFailure> {
  if (raw.findIndex((byte) => byte > 0x20) === -1) {
    return failure('The message is empty.');
  }
  // A mail starts with a header field: a name of printable characters, then a colon.
  if (!/^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(raw.subarray(0, 1000).toString('latin1'))) {
    return failure('This is not a mail message: it does not start with headers.');
  }
  const mail = await readMail(raw);
  if ('ok' in mail) return mail;
  const cut = truncation(raw, mail);
  if (cut) return cut;

  const headers = headerValues(mail.headerLines);
  const from = sender(mail, headers);
  if ('ok' in from) return from;

  const subject = headerText(typeof mail.subject === 'string' ? mail.subject : '', longestSubject);
  const undecoded = await undecodable(raw);
  if (undecoded) return { ...failure(undecoded), from: from.address, subject };
  const text = bodyMarkdown(mail);
  const kind = classifyInboundMail({ headers, from: from.address, subject });
  return {
    ok: true,
    from,
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    subject,
    messageId: messageIds(headers.get('message-id')?.[0])[0] ?? null,
    inReplyTo: messageIds(headers.get('in-reply-to')?.[0])[0] ?? null,
    references: references(headers.get('references')?.join(' ')),
    date: isoDate(headers.get('date')?.[0]),
    text,
    newText: newTextOfReply(text),
    attachments: mail.attachments
      .filter((part) => !isDeliveryStatusType(part.contentType))
      .map((part, index) => ({
        filename: attachmentName(part, index),
        contentType: part.contentType.toLowerCase(),
        content: part.content,
      })),
    kind,
    bouncedAddresses: kind === 'bounce' ? bouncedAddresses(mail, text) : [],
    authentication: authenticationResults(headers.get('authentication-results') ?? []),
  };
}
