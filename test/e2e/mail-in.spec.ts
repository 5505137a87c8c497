import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { simpleParser } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import { adminAccount, signIn } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

// Its own server, with the SMTP listener on a free port and a support address; mail it sends is
// written to DATA_DIR/mail/ (no SMTP_URL), read here as the customer's inbox.
let server: TestServer;
let smtp: Transporter;
const support = 'support@help.example.test';
const customer = 'noor.haddad@customer.example';

test.beforeAll(async ({ playwright }) => {
  server = await startTestServer({
    env: { INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1', SUPPORT_ADDRESS: support },
  });
  const port = /"message":"inbound SMTP listening","port":(\d+)/.exec(server.logs())?.[1];
  expect(port, 'the SMTP listener started').toBeDefined();
  smtp = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(port),
    secure: false,
    ignoreTLS: true,
  });
  const api = await playwright.request.newContext({ baseURL: server.url });
  const response = await api.post('/signup', { form: { ...adminAccount }, maxRedirects: 0 });
  expect(response.status(), 'admin account created').toBe(302);
  await api.dispose();
});

test.afterAll(async () => {
  smtp?.close();
  await server?.stop();
});

/** The mails the server wrote to this address, oldest first. */
async function inbox(address: string) {
  const folder = path.join(server.dataDir, 'mail');
  if (!fs.existsSync(folder)) return [];
  const mails = [];
  for (const file of fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .sort()) {
    const parsed = await simpleParser(fs.readFileSync(path.join(folder, file)));
    const to = [parsed.to ?? []].flat().flatMap((entry) => entry.value);
    if (to.some((entry) => entry.address === address)) mails.push(parsed);
  }
  return mails;
}

test('a relay posts mail over HTTP with a token of the mail:receive scope', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.url });
  const admin = await context.newPage();
  await signIn(admin, adminAccount);
  await admin.goto('/admin/api-tokens');
  await admin.getByLabel('Name').fill('Mail relay');
  await admin.getByRole('checkbox', { name: /^read/ }).uncheck();
  await admin.getByRole('checkbox', { name: /^mail:receive/ }).check();
  await admin.getByRole('button', { name: 'Create token' }).click();
  const token = (await admin.getByTestId('new-token').innerText()).trim();

  // Larger than the 1 MB other requests may be: mail has a limit of its own.
  const raw = [
    `From: Ola <ola@customer.example>`,
    `To: ${support}`,
    'Subject: Payroll export attached as text',
    '',
    `The export stops at row 40,000.\r\n${'0123456789,'.repeat(150_000)}`,
    '',
  ].join('\r\n');
  const post = (authorization: string) =>
    admin.request.post(`/api/v1/inbound-email?to=${encodeURIComponent(support)}`, {
      headers: { Authorization: authorization, 'Content-Type': 'message/rfc822' },
      data: raw,
    });
  expect((await post('Bearer not-a-token')).status()).toBe(401);
  const filed = await post(`Bearer ${token}`);
  expect(filed.status()).toBe(200);
  const body = (await filed.json()) as { outcome: string; ticket_id: number };
  expect(body.outcome).toBe('ticket');
  await admin.goto(`/agent/tickets/${body.ticket_id}`);
  await expect(
    admin.getByRole('heading', { level: 1, name: 'Payroll export attached as text' }),
  ).toBeVisible();
  await context.close();
});

test('a ticket by mail, answered in the desk, and the customer’s mailed answer in the desk', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const subject = 'Bank feed duplicates every transaction';
  await smtp.sendMail({
    from: `Noor Haddad <${customer}>`,
    to: support,
    subject,
    text: 'Since Monday every transaction from the bank feed shows up twice in the ledger.',
  });

  const context = await browser.newContext({ baseURL: server.url });
  const agent = await context.newPage();
  await signIn(agent, adminAccount);
  await agent.goto('/agent/tickets?view=new');
  await agent.getByRole('link', { name: subject }).click();
  await expect(agent.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(agent.getByText('shows up twice in the ledger')).toBeVisible();
  await agent
    .getByLabel('Message')
    .fill('Disconnect the feed under Banking → Feeds, then connect it again: duplicates stop.');
  await agent.getByRole('button', { name: 'Send public reply' }).click();
  await expect(
    agent.getByRole('listitem').filter({ hasText: 'Disconnect the feed' }),
  ).toBeVisible();

  // The reply reaches her inbox, with an address to answer to.
  let replyTo = '';
  await expect(async () => {
    const mails = await inbox(customer);
    const answer = mails.find((mail) => mail.text?.includes('Disconnect the feed'));
    replyTo = answer?.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^reply\+t/);
  }).toPass({ timeout: 20_000 });

  // She answers from her mail program, quoting ours as mail programs do.
  await smtp.sendMail({
    from: `Noor Haddad <${customer}>`,
    to: replyTo,
    subject: `Re: ${subject}`,
    text: [
      'That worked, the duplicates are gone. Thank you!',
      '',
      `On Thu, 5 Dec 2026 at 10:02, Help <${replyTo}> wrote:`,
      '> Disconnect the feed under Banking → Feeds, then connect it again: duplicates stop.',
    ].join('\n'),
  });
  await expect(async () => {
    await agent.reload();
    await expect(
      agent.getByRole('listitem').filter({ hasText: 'That worked, the duplicates are gone.' }),
    ).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(agent.getByText('> Disconnect the feed')).toHaveCount(0);

  // The admin's log of received mail says where both went.
  await agent.goto('/admin/email/received');
  const rows = agent.getByRole('row').filter({ hasText: subject });
  await expect(rows.filter({ hasNotText: `Re: ${subject}` })).toContainText('new ticket');
  await expect(rows.filter({ hasText: `Re: ${subject}` })).toContainText('ticket reply');

  // Someone else answering from their own address is held; the admin reads it and releases it.
  await smtp.sendMail({
    from: 'Office Manager <office@customer.example>',
    to: replyTo,
    subject: `Re: ${subject}`,
    text: 'Noor is away; the feed is still fine on our side after the reconnect.',
  });
  await agent.reload();
  const held = agent.getByRole('row').filter({ hasText: 'office@customer.example' });
  await expect(held).toContainText('held for review');
  await expect(held).toContainText(`made for ${customer}`);
  await held.getByText('Read the mail').click();
  await expect(held.getByText('Noor is away')).toBeVisible();
  await held.getByRole('button', { name: 'Release' }).click();
  await expect(agent.getByText('The mail was filed.')).toBeVisible();
  await expect(held).toContainText('ticket reply');
  await agent.goto(`/agent/tickets/${/#(\d+)/.exec((await rows.first().innerText()) ?? '')?.[1]}`);
  await expect(agent.getByRole('listitem').filter({ hasText: 'Noor is away' })).toBeVisible();
  await context.close();
});
