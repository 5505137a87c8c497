import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queueDueDigests } from '~/models/mail/digest.server';
import { sendDueMail } from '~/models/mail/sender.server';
import { smtpTransport, type MailTransport } from '~/models/mail/transport.server';
import { getDb } from '~/utils/db.server';
import { action as newRequestAction } from '~/routes/requests.new';
import { action as settingsAction } from '~/routes/settings.notifications';
import { makeAnswer, makeQuestion, makeVerifiedUser } from '../support/community';
import { postAs, statusOf } from '../support/requests';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp';

const naughty: string[] = JSON.parse(
  fs.readFileSync('/work/shared/data/naughty/blns.json', 'utf8'),
);

let smtp: SmtpTestServer;
let transport: MailTransport;

beforeAll(async () => {
  smtp = await startSmtpServer();
  transport = smtpTransport(smtp.url);
});

afterAll(async () => {
  transport.close();
  await smtp.stop();
});

/** The header names of a message as it arrived. */
function headerNames(raw: string): string[] {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  return head.split(/\r?\n/).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

describe('naughty strings in mail', () => {
  test('every naughty string as a name, subject and body gives a field error or a sent mail, never a 500 or an added header', async () => {
    const customer = await makeVerifiedUser();
    let filed = 0;
    for (const value of naughty) {
      await getDb()
        .updateTable('users')
        .set({ display_name: value.slice(0, 60) || 'x' })
        .where('id', '=', customer.id)
        .execute();
      const result = await postAs(newRequestAction, '/requests/new', customer.id, {
        subject: `Help ${value}`,
        body: `Details: ${value}`,
        categoryId: '',
      });
      const status = statusOf(result);
      expect([200, 302, 400]).toContain(status);
      if (status === 302) filed += 1;
    }
    expect(filed).toBeGreaterThan(naughty.length / 2);
    while ((await sendDueMail(getDb(), { transport, limit: 200 })) > 0);
    const mails = smtp.received.filter((mail) => mail.envelopeTo.includes(customer.email));
    expect(mails).toHaveLength(filed);
    const expected = new Set([
      'from',
      'to',
      'subject',
      'message-id',
      'in-reply-to',
      'references',
      'date',
      'mime-version',
      'content-type',
      'content-transfer-encoding',
      'auto-submitted',
      'list-unsubscribe',
      'list-unsubscribe-post',
      'reply-to',
    ]);
    for (const mail of mails) {
      expect(mail.envelopeTo).toEqual([customer.email]);
      for (const name of headerNames(mail.raw)) expect(expected).toContain(name);
    }
    const rows = await getDb()
      .selectFrom('mail_outbox')
      .select('status')
      .where('to_address', '=', customer.email)
      .execute();
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  });
});

describe('preferences', () => {
  test('answers chosen "in the digest" arrive in one digest mail instead of instant mail', async () => {
    const asker = await makeVerifiedUser();
    const answerer = await makeVerifiedUser();
    const saved = await postAs(settingsAction, '/settings/notifications', asker.id, {
      answer: 'digest',
      comment: 'instant',
      mention: 'never',
      digest: 'daily',
    });
    expect(statusOf(saved)).toBe(302);
    const threadId = await makeQuestion(asker, 'Why does the payroll export skip a week?');
    await makeAnswer(answerer, threadId, 'Because the pay period ends on a Sunday.');
    await sendDueMail(getDb(), { transport });
    expect(smtp.received.filter((mail) => mail.envelopeTo.includes(asker.email))).toHaveLength(0);

    const tomorrow = new Date(Date.now() + 86_400_000 + 60_000);
    expect(await queueDueDigests(getDb(), tomorrow)).toBe(1);
    await sendDueMail(getDb(), { transport, now: tomorrow });
    const [digest] = smtp.received.filter((mail) => mail.envelopeTo.includes(asker.email));
    expect(digest?.parsed.subject).toMatch(/^Your daily digest/);
    expect(digest?.parsed.text).toContain('Why does the payroll export skip a week?');
    // Its links work from a mail program: absolute, never a bare site path.
    expect(digest?.parsed.text).toMatch(/skip a week\?: https?:\/\/[^\s]+\/questions\/\d+/);
    // Nothing new since: no second digest.
    expect(await queueDueDigests(getDb(), new Date(tomorrow.getTime() + 86_400_000))).toBe(0);
  });

  test('a bad choice on the settings form is a field error, not a 500', async () => {
    const person = await makeVerifiedUser();
    const result = await postAs(settingsAction, '/settings/notifications', person.id, {
      answer: 'sometimes\r\nBcc: x@example.com',
      digest: 'hourly',
    });
    expect(statusOf(result)).toBe(400);
  });
});
