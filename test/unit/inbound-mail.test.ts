import fs from 'node:fs';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, test } from 'vitest';
import { authenticationResults } from '~/models/mail/inbound/authentication-results';
import {
  parseInboundMail,
  type ParsedMail,
  type ParseFailure,
} from '~/models/mail/inbound/parse.server';
import { newTextOfReply } from '~/models/mail/inbound/reply-text';
import { headerText } from '~/models/mail/outbox.server';
import { renderMarkdown } from '~/utils/markdown.server';

function fixture(name: string): Buffer {
  return fs.readFileSync(new URL(`../fixtures/mail/${name}`, import.meta.url));
}

async function parsed(raw: Buffer | string): Promise<ParsedMail> {
  const result = await parseInboundMail(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
  if (!result.ok) throw new Error(`expected a parsed mail, got: ${result.reason}`);
  return result;
}

async function refused(raw: Buffer | string): Promise<ParseFailure> {
  const result = await parseInboundMail(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
  if (result.ok) throw new Error(`expected a refusal, got a mail from ${result.from.address}`);
  return result;
}

/** A small mail: the given header lines (From first unless given), a blank line, the body. */
function mail(headers: string[], body = 'Hello.'): string {
  const from = headers.some((line) => /^from:/i.test(line)) ? [] : ['From: Kim <kim@example.com>'];
  return [...from, 'To: support@help.example.com', ...headers, '', body, ''].join('\r\n');
}

/** The same mail without its text/plain alternative, as clients that send only HTML write it. */
function htmlOnly(raw: Buffer): string {
  const text = raw.toString('utf8');
  const boundary = /boundary="([^"]+)"/.exec(text)?.[1];
  if (!boundary) throw new Error('fixture is not multipart');
  return text
    .split(`--${boundary}`)
    .filter((part) => !/^\r?\nContent-Type: text\/plain/i.test(part))
    .join(`--${boundary}`);
}

/** Markdown with an HTML tag in it that is not escaped as text ("\<b>" is text). */
const UNESCAPED_TAG = /(?<!\\)<\/?[a-z!?]/i;

const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PDF_TEXT = '%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n';

describe('replies as mail clients write them', () => {
  test('a Gmail reply keeps only the new text above its wrapped "On … wrote:" line', async () => {
    const reply = await parsed(fixture('gmail-reply.eml'));
    expect(reply.text).toContain('> Could you restart the print spooler');
    expect(reply.newText).toBe(
      'Restarting the spooler fixed it, thank you!\n\nThe printer has been online since 11:00.',
    );
  });

  test('an Outlook reply loses the line of underscores, the From/Sent block and the history', async () => {
    const reply = await parsed(fixture('outlook-reply.eml'));
    expect(reply.newText).toBe(
      [
        'Hi Alex,',
        '',
        'It is still offline on the second floor. The display says "Error 41".',
        '',
        'Best regards,',
        'Jordan Lee',
        'IT, Customer Example Ltd.',
      ].join('\n'),
    );
  });

  test('an Apple Mail reply loses "Sent from my iPhone" and the quoted attribution', async () => {
    const reply = await parsed(fixture('apple-mail-reply.eml'));
    expect(reply.newText).toBe(
      'Yes, the export finished after I cleared the cache.\nOne question left: can I schedule it to run every night?',
    );
  });

  test('the same replies sent as HTML only are converted and reduced to the same words', async () => {
    const gmail = await parsed(htmlOnly(fixture('gmail-reply.eml')));
    expect(gmail.newText).toBe(
      'Restarting the spooler fixed it, thank you!\n\nThe printer has been online since 11:00.',
    );
    const outlook = await parsed(htmlOnly(fixture('outlook-reply.eml')));
    expect(outlook.text).toContain('**Sent:** Tuesday, December 3, 2026 10:04 AM');
    expect(outlook.newText).toBe(
      'Hi Alex,\n\nIt is still offline on the second floor. The display says "Error 41".\n\n' +
        'Best regards,  \nJordan Lee  \nIT, Customer Example Ltd.',
    );
    const apple = await parsed(htmlOnly(fixture('apple-mail-reply.eml')));
    expect(apple.newText).toBe(
      'Yes, the export finished after I cleared the cache.\n\nOne question left: can I schedule it to run every night?',
    );
  });
});

describe('the new text of a reply', () => {
  test('a one-line Gmail attribution and its quote are removed', () => {
    expect(
      newTextOfReply(
        'Works now.\n\nOn Tue, 3 Dec 2026 at 10:04, Help Center <reply+a@help.example.com> wrote:\n\n> Try again?\n',
      ),
    ).toBe('Works now.');
  });

  test('a German Gmail attribution is removed too', () => {
    expect(
      newTextOfReply(
        'Danke, jetzt geht es.\n\nAm Di., 3. Dez. 2026 um 10:04 Uhr schrieb Help Center <\nreply+a@help.example.com>:\n\n> Bitte neu starten.',
      ),
    ).toBe('Danke, jetzt geht es.');
  });

  test('Outlook\'s "-----Original Message-----" ends the new text', () => {
    expect(
      newTextOfReply(
        'See the log below.\n\n-----Original Message-----\nFrom: Help Center <reply+a@help.example.com>\nSent: Tuesday, December 3, 2026 10:04 AM\nSubject: [#42] Printer\n\nPlease send a log.',
      ),
    ).toBe('See the log below.');
  });

  test('"Get Outlook for iOS" and a "-- " signature are not part of the new text', () => {
    expect(
      newTextOfReply(
        'Yes, please close it.\n\nGet [Outlook for iOS](https://aka.ms/o0ukef)\n________________________________\nFrom: Help Center <x@help.example.com>\nSent: Tuesday, December 3, 2026 10:04:11 AM\nTo: Kim\nSubject: Closing?\n\nMay we close the ticket?',
      ),
    ).toBe('Yes, please close it.');
    expect(
      newTextOfReply('Thanks!\n\nKim\n-- \nKim Park | Example Corp\n+1 555 0100\n\n> Old text'),
    ).toBe('Thanks!\n\nKim');
  });

  test('the line breaks the person typed stay as they are', () => {
    expect(newTextOfReply('Line one\nline two\n\n\nafter a gap\n\n> quoted')).toBe(
      'Line one\nline two\n\n\nafter a gap',
    );
  });

  test('a mail of nothing but quote has no new text', () => {
    expect(
      newTextOfReply(
        'On Tue, 3 Dec 2026 at 10:04, Help <h@help.example.com> wrote:\n\n> Hello\n> there',
      ),
    ).toBe('');
    expect(newTextOfReply('> Hello\n\nSent from my iPhone')).toBe('');
  });

  test('answers written between the quoted lines are kept', () => {
    expect(
      newTextOfReply(
        'On Tue, 3 Dec 2026 at 10:04, Help <h@help.example.com> wrote:\n> Which version?\n\n4.2.1\n\n> Which browser?\n\nFirefox 133\n\n-- \nKim',
      ),
    ).toBe('4.2.1\n\nFirefox 133');
  });

  test('"On Monday my colleague wrote:" followed by the person\'s own words is not a quote', () => {
    const text = 'On Monday my colleague wrote:\nthe export hangs at 80%.\n\nCan you help?';
    expect(newTextOfReply(text)).toBe(text);
  });
});

describe('what kind of mail it is', () => {
  test.each([
    ['gmail-reply.eml', 'message'],
    ['outlook-reply.eml', 'message'],
    ['apple-mail-reply.eml', 'message'],
    ['new-with-attachments.eml', 'message'],
    ['html-only.eml', 'message'],
    ['latin1-quoted-printable.eml', 'message'],
    ['out-of-office.eml', 'auto-reply'],
    ['bounce-report.eml', 'bounce'],
    ['bounce-plain.eml', 'bounce'],
  ])('%s is a %s', async (name, kind) => {
    expect((await parsed(fixture(name))).kind).toBe(kind);
  });

  test.each([
    ['Auto-Submitted: auto-replied'],
    ['Auto-Submitted: auto-generated'],
    ['X-Autoreply: yes'],
    ['X-Autorespond: Thanks for your mail'],
    ['X-Auto-Response-Suppress: DR, All'],
    ['Precedence: bulk'],
    ['Precedence: junk'],
    ['Precedence: auto_reply'],
    ['Precedence: list'],
    ['Subject: Out of Office: [#42] Printer'],
    ['Subject: Out of Office AutoReply: [#42] Printer'],
    ['Subject: Automatic reply: [#42] Printer'],
    ['Subject: Auto-Reply: your message'],
    ['Subject: Abwesenheitsnotiz: [#42] Drucker'],
    ['Subject: =?UTF-8?Q?R=C3=A9ponse_automatique_:_[#42]?='],
  ])('"%s" makes an automatic reply', async (header) => {
    expect((await parsed(mail([header]))).kind).toBe('auto-reply');
  });

  test.each([
    ['Auto-Submitted: no'],
    ['Precedence: first-class'],
    ['X-Auto-Response-Suppress: OOF'],
    ['Subject: Out of office replies stopped working'],
    ['Subject: Re: Automatic reply: [#42] Printer'],
  ])('"%s" is still a person\'s message', async (header) => {
    expect((await parsed(mail([header]))).kind).toBe('message');
  });

  test("a mail server's failure notice is a bounce; its other mail is not", async () => {
    const failure = mail([
      'From: postmaster@mx.example.com',
      'Subject: Undeliverable: [#42] Printer',
    ]);
    expect((await parsed(failure)).kind).toBe('bounce');
    const dsn = mail([
      'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'Subject: Delivery Status Notification (Failure)',
    ]);
    expect((await parsed(dsn)).kind).toBe('bounce');
    const notice = mail([
      'From: postmaster@mx.example.com',
      'Subject: Our mail server moves on Friday',
    ]);
    expect((await parsed(notice)).kind).toBe('message');
    const person = mail(['Subject: Undeliverable: why do my mails bounce?']);
    expect((await parsed(person)).kind).toBe('message');
  });

  test('a delivery report that also says Auto-Submitted is a bounce, not an automatic reply', async () => {
    const report = await parsed(fixture('bounce-report.eml'));
    expect(fixture('bounce-report.eml').toString()).toContain('Auto-Submitted: auto-replied');
    expect(report.kind).toBe('bounce');
  });

  test('a delivery report names its failed recipients, not the delayed ones', async () => {
    const report = await parsed(fixture('bounce-report.eml'));
    expect(report.bouncedAddresses).toEqual(['former.employee@customer.example']);
    expect(report.attachments.map((part) => part.contentType)).not.toContain(
      'message/delivery-status',
    );
  });

  test('a plain-text bounce names the failed address, not the sender of the copy it quotes', async () => {
    const bounce = await parsed(fixture('bounce-plain.eml'));
    expect(bounce.bouncedAddresses).toEqual(['nobody.here@oldhost.example']);
  });

  test('only bounces name bounced addresses', async () => {
    expect((await parsed(fixture('out-of-office.eml'))).bouncedAddresses).toEqual([]);
  });
});

describe('headers', () => {
  test('sender, recipients, threading headers and date of a reply', async () => {
    const reply = await parsed(fixture('gmail-reply.eml'));
    expect(reply.from).toEqual({ address: 'dana.smith@gmail.com', name: 'Dana Smith' });
    expect(reply.to).toEqual(['reply+t42.zx8kq@help.example.com']);
    expect(reply.cc).toEqual(['ops@customer.example']);
    expect(reply.subject).toBe('Re: [#42] The printer shows offline');
    expect(reply.messageId).toBe('<CAE7m3x5QwLp0vZr=Kq2+8b@mail.gmail.com>');
    expect(reply.inReplyTo).toBe('<ticket-42.msg-7@help.example.com>');
    expect(reply.references).toEqual([
      '<ticket-42@help.example.com>',
      '<ticket-42.msg-7@help.example.com>',
    ]);
    expect(reply.date).toBe('2026-12-03T10:15:02.000Z');
  });

  test('a mail without a name, Message-ID or a readable date has nulls there', async () => {
    const bare = await parsed(mail(['From: kim@example.com', 'Date: next Tuesday-ish']));
    expect(bare.from).toEqual({ address: 'kim@example.com', name: null });
    expect(bare.messageId).toBeNull();
    expect(bare.inReplyTo).toBeNull();
    expect(bare.references).toEqual([]);
    expect(bare.date).toBeNull();
    expect(bare.subject).toBe('');
  });

  test('an ISO-8859-1 quoted-printable mail is read as the words it holds', async () => {
    const message = await parsed(fixture('latin1-quoted-printable.eml'));
    expect(message.from.name).toBe('Renée François');
    expect(message.subject).toBe('Problème de connexion après la mise à jour');
    expect(message.text).toContain('« mot de passe incorrect », même après la réinitialisation.');
    expect(message.text.endsWith("Merci d'avance,\nRenée")).toBe(true);
  });

  test('a subject is one line of at most 200 characters', async () => {
    const long = await parsed(
      mail([`Subject: ${'word '.repeat(80)}`, ' folded onto a second line']),
    );
    expect(long.subject).not.toMatch(/[\r\n]/);
    expect(Array.from(long.subject).length).toBeLessThanOrEqual(200);
  });

  test('group and international addresses come out as plain lower-case ASCII addresses', async () => {
    const message = await parsed(
      mail(['From: Jörg <Joerg@Bücher.example>', 'Cc: Team: A@Example.com, b@example.com;']),
    );
    expect(message.from.address).toBe('joerg@xn--bcher-kva.example');
    expect(message.cc).toEqual(['a@example.com', 'b@example.com']);
  });

  test("the receiving server's Authentication-Results are read", async () => {
    expect((await parsed(fixture('gmail-reply.eml'))).authentication).toEqual({
      spf: 'pass',
      dkim: 'pass',
      dmarc: 'pass',
    });
    // One header per check from the same server.
    expect((await parsed(fixture('apple-mail-reply.eml'))).authentication).toEqual({
      spf: 'pass',
      dkim: 'pass',
      dmarc: null,
    });
    expect((await parsed(fixture('new-with-attachments.eml'))).authentication).toEqual({
      spf: null,
      dkim: null,
      dmarc: null,
    });
  });

  test('Authentication-Results written further down, by earlier hops or the sender, do not count', async () => {
    expect((await parsed(fixture('outlook-reply.eml'))).authentication).toEqual({
      spf: 'softfail',
      dkim: 'none',
      dmarc: 'fail',
    });
  });

  test('a passing DKIM signature among failing ones passes; comments hide nothing', () => {
    expect(
      authenticationResults([
        'mx.help.example.com 1; dkim=fail (bad; signature) header.d=a.example; dkim=pass header.d=b.example; spf=temperror (dns; timeout); dmarc=neutral',
      ]),
    ).toEqual({ spf: 'temperror', dkim: 'pass', dmarc: 'neutral' });
    expect(authenticationResults(['mx.help.example.com; none'])).toEqual({
      spf: null,
      dkim: null,
      dmarc: null,
    });
  });
});

describe('the body', () => {
  test('a new message keeps its PDF and its inline PNG, byte for byte, with a name for each', async () => {
    const message = await parsed(fixture('new-with-attachments.eml'));
    expect(message.from.name).toBe('María López');
    expect(message.newText).toBe(message.text);
    expect(message.text).toBe(
      'Hello,\n\nthe attached invoice for November shows our old VAT number.\n' +
        'The screenshot shows the number in our account settings.\n\nThanks,\nMaria',
    );
    expect(message.attachments.map(({ filename, contentType }) => [filename, contentType])).toEqual(
      [
        ['invoice-2026-11.pdf', 'application/pdf'],
        ['attachment-2.png', 'image/png'],
      ],
    );
    expect(message.attachments[0]?.content.toString('latin1')).toBe(PDF_TEXT);
    expect(message.attachments[1]?.content.equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
  });

  test('a reply without attachments has none: the text and HTML parts are the body', async () => {
    expect((await parsed(fixture('gmail-reply.eml'))).attachments).toEqual([]);
  });

  test('an attachment named with folders and control characters keeps only a clean file name', async () => {
    const message = await parsed(
      [
        'From: kim@example.com',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'See attached.',
        '--b',
        'Content-Type: text/plain; name="x"',
        'Content-Disposition: attachment; filename="../../etc/=?UTF-8?Q?pass=0Dwd?=.txt"',
        '',
        'root:x:0:0',
        '--b--',
        '',
      ].join('\r\n'),
    );
    expect(message.attachments.map((part) => part.filename)).toEqual(['passwd.txt']);
  });

  test('an HTML-only message becomes Markdown with no tag, script, style or handler left', async () => {
    const message = await parsed(fixture('html-only.eml'));
    expect(message.text).toContain('# Checkout fails');
    expect(message.text).toContain('Since **Monday** an order with more than *100 items* fails');
    expect(message.text).toContain(
      '-   Store: [webshop.example/store/7](https://webshop.example/store/7)',
    );
    expect(message.text).toContain('Steps: open the cart, then pay.');
    expect(message.text).toContain('```\nError 500 at /checkout & retry\n```');
    expect(message.text).toContain('Regards,  \nChris');
    expect(message.text).not.toMatch(UNESCAPED_TAG);
    for (const left of [
      'document.',
      'evil.example',
      "alert('",
      'onerror',
      'onload',
      'javascript:',
    ]) {
      expect(message.text).not.toContain(left);
    }
    for (const left of ['tracker.example', 'Support request', 'font-family']) {
      expect(message.text).not.toContain(left);
    }
    // The escaped "<script>" the person typed as text stays text when the page renders it.
    const { html } = renderMarkdown(message.text);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<iframe|<img/i);
  });

  test.each([
    '<img src=x onerror="alert(1)">Look',
    '<svg onload="alert(1)"><a href="javascript:alert(1)">Look</a></svg>',
    '<scr<script>ipt>alert(1)</scr</script>ipt> Look',
    '<!--<script>alert(1)</script>--> Look',
    '&lt;img src=x onerror=alert(1)&gt; Look',
    '&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; Look',
    '<a href="JaVaScRiPt:alert(1)">Look</a><a href=" data:text/html,x">here</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">Look</p>',
  ])('script and event handlers in HTML never survive: %s', async (hostile) => {
    const message = await parsed(
      mail(['Content-Type: text/html; charset=utf-8'], `<html><body>${hostile}</body></html>`),
    );
    expect(message.text).not.toMatch(UNESCAPED_TAG);
    expect(message.text).not.toMatch(/javascript:/i);
    const { html } = renderMarkdown(message.text);
    // Escaped text may read "onerror=" or "&lt;img"; tags and their attributes may not.
    expect(html).not.toMatch(
      /<(?:script|svg|img|iframe|style)|<[^>]*\son\w+\s*=|href="(?!https?:)/i,
    );
  });

  test.each([
    [
      'a charset nobody knows, with only ASCII in it',
      ['Content-Type: text/plain; charset=x-no-such-charset'],
      'Plain words.',
      '',
      'Plain words.',
    ],
    [
      // RFC 2045 6.7: a robust decoder keeps a stray "=" as it was written.
      'stray equals signs in quoted-printable',
      ['Content-Transfer-Encoding: quoted-printable'],
      'Half =ZZ of =E',
      '',
      'Half =ZZ of =E',
    ],
    [
      'Latin-1 text that names its charset',
      ['Content-Type: text/plain; charset=iso-8859-1', 'Subject: =?iso-8859-1?Q?caf=E9?='],
      'caf\xe9 cr\xe8me',
      'caf\u00e9',
      'caf\u00e9 cr\u00e8me',
    ],
  ])('%s: read as written', async (_what, headers, body, subject, text) => {
    const message = await parsed(Buffer.from(mail(headers, body), 'latin1'));
    expect(message.from.address).toBe('kim@example.com');
    expect(message.subject).toBe(subject);
    expect(message.text).toBe(text);
  });

  test.each([
    [
      'text in a charset nobody knows',
      ['Content-Type: text/plain; charset=x-no-such-charset'],
      'caf\xe9',
      /character set "x-no-such-charset", which is unknown here/,
    ],
    [
      'bytes that are not UTF-8 in UTF-8 text',
      ['Content-Type: text/plain; charset=utf-8'],
      'caf\xff\xfe words.',
      /holds bytes that are not UTF-8, though it names the character set "utf-8"/,
    ],
    [
      'broken base64',
      ['Content-Transfer-Encoding: base64'],
      'SGVsbG8g@@@d29y!!bGQ=',
      /says it is base64 but holds characters base64 does not use/,
    ],
    [
      'a transfer encoding mail does not define',
      ['Content-Transfer-Encoding: x-uuencode'],
      'begin 644 notes.txt',
      /transfer encoding "x-uuencode", which mail does not define/,
    ],
    [
      'an encoded word that is not base64',
      ['Subject: =?utf-8?B?####?='],
      'Plain words.',
      /Subject header has an encoded word that is not valid base64/,
    ],
    [
      'an encoded word in a charset nobody knows',
      ['Subject: =?x-none?Q?a?='],
      'Plain words.',
      /Subject header is written in the character set "x-none"/,
    ],
    [
      '8-bit bytes in a header that are not UTF-8',
      ['Subject: caf\xe9 \xff'],
      'Plain words.',
      /Subject header holds 8-bit bytes that are not UTF-8/,
    ],
    [
      'an attachment whose base64 is broken',
      ['Content-Type: multipart/mixed; boundary="b"'],
      '--b\r\nContent-Type: text/plain\r\n\r\nSee the file.\r\n--b\r\nContent-Type: application/pdf\r\n' +
        'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x%%%\r\n--b--',
      /Part 2 \(application\/pdf\) says it is base64/,
    ],
  ])('%s: refused, with the part and the reason', async (_what, headers, body, reason) => {
    expect((await refused(Buffer.from(mail(headers, body), 'latin1'))).reason).toMatch(reason);
  });

  test('UTF-8 in headers (RFC 6532) and a bounce quoting a broken original are read', async () => {
    const message = await parsed(mail(['Subject: Caf\u00e9 \u2615 ordering'], 'Hello.'));
    expect(message.subject).toBe('Caf\u00e9 \u2615 ordering');
    const bounce = await parsed(
      Buffer.from(
        mail(
          ['Content-Type: multipart/report; report-type=delivery-status; boundary="r"'],
          '--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--r\r\n' +
            'Content-Type: message/rfc822\r\n\r\nSubject: caf\xe9\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n--r--',
        ),
        'latin1',
      ),
    );
    expect(bounce.text).toBe('Delivery failed.');
  });
});

describe('mail that is refused', () => {
  test.each([
    ['empty input', '', /empty/],
    ['only blank lines', '\r\n\r\n  \r\n', /empty/],
    ['text that is not a mail', 'hello world\n\nthis is not mail', /not a mail message/],
    ['a mail without From', 'To: support@help.example.com\r\nSubject: hi\r\n\r\nHi.', /no sender/],
    [
      'a mail cut inside its headers',
      'From: kim@example.com\r\nSubject: Printer is offl',
      /cut off/,
    ],
  ])('%s is refused with a reason', async (_what, raw, reason) => {
    expect((await refused(raw)).reason).toMatch(reason);
  });

  test('a message cut off in the middle of an attachment', async () => {
    expect((await refused(fixture('truncated.eml'))).reason).toMatch(/cut off/);
  });

  test.each([
    ['a bare CR that starts a hidden Bcc header', 'From: kim@example.com\rBcc: all@example.com'],
    ['two From headers', 'From: kim@example.com\r\nFrom: boss@example.com'],
    ['a From emptied by a blank line injected into the headers', 'From:\r\n\r\nkim@example.com'],
    ['a From that is a group of addresses', 'From: Staff: kim@example.com, lee@example.com;'],
    ['a From with two senders', 'From: kim@example.com, lee@example.com'],
    ['a From without an address', 'From: Kim Park'],
  ])('%s leaves the sender unreadable', async (_what, fromHeader) => {
    const failure = await refused(`${fromHeader}\r\nTo: support@help.example.com\r\n\r\nHi.`);
    expect(failure.reason).toMatch(/From|sender/);
  });

  test("a line break encoded into the sender's name is removed, not kept", async () => {
    const message = await parsed(
      mail(['From: =?utf-8?Q?Kim=0D=0ABcc=3A_all=40example.com?= <kim@example.com>']),
    );
    expect(message.from.address).toBe('kim@example.com');
    expect(message.from.name).toBe('Kim Bcc: all@example.com');
  });
});

describe('hostile strings', () => {
  const naughty: string[] = JSON.parse(
    fs.readFileSync(new URL('../../../shared/data/naughty/blns.json', import.meta.url), 'utf8'),
  );

  /** The body as it was sent, with the line ends and invisible characters a mail does not keep. */
  function asBody(text: string): string {
    return (
      text
        .replace(/\r\n?/g, '\n')
        // eslint-disable-next-line no-control-regex -- what the parser drops
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/g, '')
        .replace(/^\s*\n/, '')
        .trimEnd()
    );
  }

  async function composed(text: string): Promise<Buffer> {
    return new MailComposer({
      from: 'Kim <kim@example.com>',
      to: 'support@help.example.com',
      subject: text,
      text,
    })
      .compile()
      .build();
  }

  test('every naughty string as subject and body of a well-formed mail is read', async () => {
    expect(naughty.length).toBeGreaterThan(400);
    for (const text of naughty) {
      const message = await parsed(await composed(text));
      expect(message.subject, text).toBe(headerText(text, 200));
      expect(message.text, text).toBe(asBody(text));
    }
  });

  test('every naughty string written raw into the Subject header and the body never throws', async () => {
    for (const text of naughty) {
      const raw = Buffer.from(`From: kim@example.com\r\nSubject: ${text}\r\n\r\n${text}\r\n`);
      const result = await parseInboundMail(raw);
      expect(typeof result.ok).toBe('boolean');
      if (result.ok) expect(result.subject).not.toMatch(/[\r\n]/);
    }
  });
});
