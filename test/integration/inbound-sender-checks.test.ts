import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInboundSmtp, type InboundListener } from '~/models/mail/inbound/smtp-listener.server';
import { getDb } from '~/utils/db.server';

// Where this installation takes mail.
process.env.SUPPORT_ADDRESS = 'support@help.example.com';
process.env.REPLY_DOMAIN = 'help.example.com';

/**
 * The DNS of three sending domains, as a resolver answers mailauth (a name with no records is
 * NXDOMAIN). The messages come from 127.0.0.1:
 * - store.example signs its mail; its SPF names only its own server (192.0.2.25), not us;
 * - partner.example does not sign; its SPF names 127.0.0.1;
 * - bank.example signs nothing and names only 192.0.2.10: mail from anywhere else is forged.
 */
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const records: Record<string, string[][]> = {
  'TXT store.example': [['v=spf1 ip4:192.0.2.25 -all']],
  'TXT mail2026._domainkey.store.example': [
    [`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`],
  ],
  'TXT _dmarc.store.example': [['v=DMARC1; p=reject']],
  'TXT partner.example': [['v=spf1 ip4:127.0.0.1 -all']],
  'TXT _dmarc.partner.example': [['v=DMARC1; p=none']],
  'TXT bank.example': [['v=spf1 ip4:192.0.2.10 -all']],
  'TXT _dmarc.bank.example': [['v=DMARC1; p=reject']],
};
const lookups: string[] = [];
async function resolver(name: string, type: string) {
  lookups.push(`${type} ${name}`);
  const found = records[`${type} ${name}`];
  if (!found) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found;
}

/** A message as store.example's server writes it: DKIM-signed with its key. */
async function signedByStore(text: string): Promise<string> {
  const signer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    dkim: {
      domainName: 'store.example',
      keySelector: 'mail2026',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  });
  const built = await signer.sendMail({
    from: 'Orders <orders@store.example>',
    to: 'support@help.example.com',
    subject: 'Order 5521 arrived damaged',
    text,
  });
  return (built.message as Buffer).toString();
}

// What a forger writes to look checked: results from "our" MX, all passing.
const forgedResults =
  'Authentication-Results: mx.help.example.com; spf=pass smtp.mailfrom=bank.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example';
const fromBank = [
  forgedResults,
  'From: Bank Security <security@bank.example>',
  'To: support@help.example.com',
  'Subject: Urgent: confirm the account owner',
  '',
  'Reply with the admin password to keep the account open.',
  '',
].join('\r\n');

let checking: InboundListener;
let relayed: InboundListener;
const transports: Transporter[] = [];

function sender(listener: InboundListener) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    name: 'mx.sender.example',
  });
  transports.push(transport);
  return (raw: string, from: string) =>
    transport.sendMail({ envelope: { from, to: ['support@help.example.com'] }, raw });
}

beforeAll(async () => {
  // Mail straight from the sending server: we check it. Behind a relay we trust: it did.
  checking = await startInboundSmtp(getDb(), {
    port: 0,
    host: '127.0.0.1',
    maxBytes: 1_000_000,
    resolver,
    trustedRelays: [],
  });
  relayed = await startInboundSmtp(getDb(), {
    port: 0,
    host: '127.0.0.1',
    maxBytes: 1_000_000,
    resolver,
    trustedRelays: ['127.0.0.1'],
  });
});

afterAll(async () => {
  for (const transport of transports) transport.close();
  await checking.stop();
  await relayed.stop();
});

async function latestInbound() {
  return getDb()
    .selectFrom('inbound_mail')
    .select(['outcome', 'reason', 'ticket_id', 'spf', 'dkim', 'dmarc', 'client_ip', 'client_helo'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

describe('SPF, DKIM and DMARC, checked by us for mail straight from the sender', () => {
  test('a signed message passes DKIM and DMARC though SPF does not name us, and becomes a ticket', async () => {
    const send = sender(checking);
    await send(
      await signedByStore('The box was crushed and the lid is cracked.'),
      'orders@store.example',
    );
    const received = await latestInbound();
    expect(received).toMatchObject({
      outcome: 'ticket',
      spf: 'fail',
      dkim: 'pass',
      dmarc: 'pass',
      client_ip: expect.stringMatching(/127\.0\.0\.1$/),
      client_helo: 'mx.sender.example',
    });
    // The key, the SPF record and the policy were looked up, not taken from the message.
    expect(lookups).toEqual(
      expect.arrayContaining([
        'TXT mail2026._domainkey.store.example',
        'TXT store.example',
        'TXT _dmarc.store.example',
      ]),
    );
  });

  test('the same message changed after signing fails DKIM and DMARC and is held, not filed', async () => {
    const send = sender(checking);
    const signed = await signedByStore('Please refund 20 EUR.');
    await send(signed.replace('refund 20 EUR', 'refund 2000 EUR'), 'orders@store.example');
    const received = await latestInbound();
    expect(received).toMatchObject({ outcome: 'held', ticket_id: null, dmarc: 'fail' });
    expect(received.dkim).not.toBe('pass');
    expect(received.reason).toContain('failed DMARC');
  });

  test('forged Authentication-Results prove nothing: mail claiming bank.example from elsewhere is held', async () => {
    const send = sender(checking);
    await send(fromBank, 'security@bank.example');
    expect(await latestInbound()).toMatchObject({
      outcome: 'held',
      ticket_id: null,
      spf: 'fail',
      dkim: 'none',
      dmarc: 'fail',
      reason: expect.stringContaining("The sender's domain failed DMARC"),
    });
  });

  test('an unsigned message from a server its domain names passes SPF', async () => {
    const send = sender(checking);
    await send(
      'From: Lee <lee@partner.example>\r\nTo: support@help.example.com\r\nSubject: Invoice export is empty\r\n\r\nThe CSV has headers only.\r\n',
      'lee@partner.example',
    );
    expect(await latestInbound()).toMatchObject({
      outcome: 'ticket',
      spf: 'pass',
      dkim: 'none',
      dmarc: 'pass',
    });
  });

  test('behind a trusted relay, the results the relay wrote are kept', async () => {
    const send = sender(relayed);
    await send(fromBank, 'security@bank.example');
    expect(await latestInbound()).toMatchObject({
      outcome: 'ticket',
      spf: 'pass',
      dkim: 'pass',
      dmarc: 'pass',
    });
  });
});
