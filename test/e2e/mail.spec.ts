import fs from 'node:fs';
import path from 'node:path';
import {
  test,
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { accountMenu, adminAccount, newAccount, signIn, type Account } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

// This file runs its own server: sign-up confirmations are limited per client address, and every
// browser here is 127.0.0.1, so other files' sign-ups must not use up the allowance. With no
// SMTP_URL the server writes each mail as an .eml file under DATA_DIR/mail/, read here.
let server: TestServer;

test.beforeAll(async ({ playwright }) => {
  server = await startTestServer();
  const api = await playwright.request.newContext({ baseURL: server.url });
  const response = await api.post('/signup', { form: { ...adminAccount }, maxRedirects: 0 });
  expect(response.status(), 'admin account created').toBe(302);
  await api.dispose();
});

test.afterAll(async () => {
  await server?.stop();
});

const contexts: BrowserContext[] = [];

/** A browser of its own (one person, one device) on this file's server. */
async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.url });
  contexts.push(context);
  return context.newPage();
}

test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

type Mail = { file: string; parsed: ParsedMail; raw: string };

/** Every mail the server wrote to this address so far, oldest first. */
async function mailsTo(address: string): Promise<Mail[]> {
  const folder = path.join(server.dataDir, 'mail');
  if (!fs.existsSync(folder)) return [];
  const files = fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.eml'))
    .sort();
  const mails: Mail[] = [];
  for (const file of files) {
    const raw = fs.readFileSync(path.join(folder, file), 'utf8');
    const parsed = await simpleParser(raw);
    if (parsed.to && [parsed.to].flat().some((to) => to.value.some((v) => v.address === address)))
      mails.push({ file, parsed, raw });
  }
  return mails;
}

/** Waits (at most 15 s) for a mail to this address whose subject matches, and returns it. */
async function waitForMail(address: string, subject: string | RegExp): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        found = (await mailsTo(address)).find((mail) =>
          typeof subject === 'string'
            ? mail.parsed.subject === subject
            : subject.test(mail.parsed.subject ?? ''),
        );
        return Boolean(found);
      },
      { message: `a mail to ${address} about ${String(subject)}`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** A header as it was written (unfolded), or null. */
function header(mail: Mail, name: string): string | null {
  const head = (mail.raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((each) => each.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/** The site path of the first link in a mail's text that starts with this path. */
function linkIn(mail: Mail, pathname: string): string {
  const match = new RegExp(`https?://[^\\s/]+(${pathname}[^\\s>]*)`).exec(mail.parsed.text ?? '');
  if (!match?.[1]) throw new Error(`no ${pathname} link in "${mail.parsed.subject}"`);
  return match[1];
}

/** Signs up in a new browser and confirms the address with the link the server mailed. */
async function newPerson(
  browser: Browser,
  prefix: string,
  options: { role?: 'agent'; javaScript?: boolean } = {},
): Promise<{ page: Page; account: Account }> {
  const page = await openPage(browser, { javaScriptEnabled: options.javaScript ?? true });
  const account = newAccount(prefix);
  await page.goto('/signup');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(accountMenu(page)).toBeVisible();

  const banner = page.getByRole('region', { name: 'Confirm your email address' });
  await expect(banner).toBeVisible();
  // The link opens in the browser the mail app hands it to.
  const confirmation = await waitForMail(account.email, /^Confirm your email address/);
  const mailLink = await openPage(browser);
  await mailLink.goto(linkIn(confirmation, '/verify-email/'));
  await mailLink.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(mailLink.getByRole('button', { name: 'Confirm my address' })).toHaveCount(0);
  // NOTE: the page after confirming may say the link was already used (the loader runs again
  // after the action); what matters here is that the account's banner is gone.
  await page.reload();
  await expect(accountMenu(page)).toBeVisible();
  await expect(banner).toHaveCount(0);

  if (options.role) {
    const admin = await openPage(browser);
    await signIn(admin, adminAccount);
    await admin.goto(`/admin/users?q=${account.username}`);
    await admin
      .getByLabel(`Role of ${account.username}`, { exact: true })
      .selectOption(options.role);
    await admin.getByRole('button', { name: `Save role of ${account.username}` }).click();
    await expect(admin.getByRole('status')).toHaveText(`Role updated to ${options.role}.`);
  }
  return { page, account };
}

/** The admin's email log, filtered by address (and status), as its form does it. */
async function emailLog(page: Page, address: string, status = 'All') {
  await page.goto('/admin/email');
  const filters = page.getByRole('search', { name: 'Filter the email log' });
  await filters.getByLabel('Address').fill(address);
  await filters.getByLabel('Status').selectOption({ label: status });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(new RegExp(`address=${encodeURIComponent(address)}`));
  return page.getByRole('table');
}

test("a customer is mailed an agent's public reply, unsubscribes from the mail's link without signing in, and the next reply is logged as skipped", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const customer = await newPerson(browser, 'mailcustomer');
  const agent = await newPerson(browser, 'mailagent', { role: 'agent' });
  const subject = `Payroll export lost the cents ${Date.now()}`;

  await customer.page.goto('/requests/new');
  await customer.page.getByLabel('Subject').fill(subject);
  await customer.page
    .getByLabel('How can we help?')
    .fill('Every amount in the payroll CSV is rounded to whole euros.');
  await customer.page.getByRole('button', { name: 'Send to support' }).click();
  await expect(customer.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const ticketId = new URL(customer.page.url()).pathname.split('/').at(-1);

  await agent.page.goto(`/agent/tickets/${ticketId}`);
  await agent.page
    .getByLabel('Message')
    .fill('Switch **Settings → Exports → Decimal places** to 2 and export again.');
  await agent.page.getByRole('button', { name: 'Send public reply' }).click();
  await expect(
    agent.page.getByRole('listitem').filter({ hasText: 'Decimal places' }),
  ).toBeVisible();

  // The customer's mails, as written to the server's mail folder.
  const received = await waitForMail(customer.account.email, `[Request #${ticketId}] ${subject}`);
  expect(received.parsed.text).toContain('Every amount in the payroll CSV');
  const reply = await waitForMail(customer.account.email, `Re: [Request #${ticketId}] ${subject}`);
  expect(reply.parsed.text).toContain('Switch **Settings → Exports → Decimal places** to 2');
  expect(reply.parsed.html).toContain('<strong>Settings → Exports → Decimal places</strong>');
  expect(header(reply, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  const unsubscribeLink = linkIn(reply, '/unsubscribe');
  expect(header(reply, 'list-unsubscribe')).toContain(unsubscribeLink);

  // The admin finds both in the email log, by the customer's address.
  const admin = await openPage(browser);
  await signIn(admin, adminAccount);
  const log = await emailLog(admin, customer.account.email);
  for (const mailSubject of [
    `[Request #${ticketId}] ${subject}`,
    `Re: [Request #${ticketId}] ${subject}`,
  ]) {
    const row = log.getByRole('row').filter({
      has: admin.getByRole('link', { name: mailSubject, exact: true }),
    });
    await expect(row).toContainText('sent');
  }
  await expect(log.getByRole('row').filter({ hasText: agent.account.email })).toHaveCount(0);

  // Someone (not signed in) opens the link from the mail and confirms.
  const visitor = await openPage(browser);
  await visitor.goto(unsubscribeLink);
  await expect(visitor.getByRole('heading', { level: 1, name: 'Stop these mails?' })).toBeVisible();
  await expect(visitor.getByText('Replies from support on my requests')).toBeVisible();
  await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(
    visitor.getByRole('heading', { level: 1, name: 'You are unsubscribed' }),
  ).toBeVisible();

  // The agent's next reply is not sent; the log says why.
  await agent.page.getByLabel('Message').fill('Did the export with two decimal places work?');
  await agent.page.getByRole('button', { name: 'Send public reply' }).click();
  await expect(
    agent.page.getByRole('listitem').filter({ hasText: 'two decimal places' }),
  ).toBeVisible();
  const skipped = await emailLog(admin, customer.account.email, 'Skipped');
  const skippedRow = skipped.getByRole('row').filter({
    has: admin.getByRole('link', { name: `Re: [Request #${ticketId}] ${subject}`, exact: true }),
  });
  await expect(skippedRow).toHaveCount(1);
  await expect(skippedRow).toContainText('turned off by the recipient');
  const replies = (await mailsTo(customer.account.email)).filter((mail) =>
    mail.parsed.subject?.startsWith('Re: '),
  );
  expect(replies).toHaveLength(1);

  // The customer's settings show the kind turned off.
  await customer.page.goto('/settings/notifications');
  await expect(customer.page.getByLabel('Replies from support on my requests')).toHaveValue(
    'never',
  );
});

test("a member who presses Watch on someone else's question (without JavaScript) is mailed the next answer", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const asker = await newPerson(browser, 'mailasker');
  const watcher = await newPerson(browser, 'mailwatcher', { javaScript: false });
  const helper = await newPerson(browser, 'mailhelper');
  const title = `Bank rules skip transfers between our own accounts ${Date.now()}`;

  await asker.page.goto('/questions/ask');
  await asker.page.getByLabel('Title').fill(title);
  await asker.page
    .getByLabel('Details')
    .fill('A rule for "Transfer to savings" never matches, though the text is identical.');
  await asker.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const threadUrl = asker.page.url();
  // The asker watches their own question from the start.
  await expect(asker.page.getByRole('button', { name: 'Watching', exact: true })).toBeVisible();

  // A visitor sees no Watch button.
  const visitor = await openPage(browser);
  await visitor.goto(threadUrl);
  await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(visitor.getByRole('button', { name: /^Watch/ })).toHaveCount(0);

  await watcher.page.goto(threadUrl);
  await watcher.page.getByRole('button', { name: 'Watch', exact: true }).click();
  await expect(
    watcher.page.getByRole('status').filter({ hasText: 'You are watching this question' }),
  ).toBeVisible();
  await watcher.page.goto(threadUrl);
  await expect(watcher.page.getByRole('button', { name: 'Watching', exact: true })).toBeVisible();

  await helper.page.goto(threadUrl);
  await helper.page
    .getByLabel('Answer', { exact: true })
    .fill(
      'Transfers are matched by the *counterparty*, not the text: add your own IBAN to the rule.',
    );
  await helper.page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(helper.page.getByRole('article', { name: /Answer by/ })).toBeVisible();

  const mail = await waitForMail(watcher.account.email, `Re: ${title}`);
  expect(mail.parsed.text).toContain('answered a question you watch');
  expect(mail.parsed.text).toContain('add your own IBAN to the rule');
  expect(linkIn(mail, '/questions/')).toContain(new URL(threadUrl).pathname);
  // The answerer is not mailed their own answer.
  expect(await mailsTo(helper.account.email)).toHaveLength(1);
});

test('an agent answers with a macro that replies, links an article and solves; the article counts it, and the customer rates it good from the mail', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const customer = await newPerson(browser, 'csatcustomer');
  const agent = await newPerson(browser, 'csatagent', { role: 'agent' });
  const stamp = Date.now();
  const articleTitle = `Resubmit a stuck payroll run ${stamp}`;

  // The article the macro will point to.
  await agent.page.goto('/agent/articles/new');
  await agent.page.getByLabel('Title').fill(articleTitle);
  await agent.page
    .getByLabel('Article')
    .fill('Open **Payroll**, choose the run that says Submitting and press **Resubmit**.');
  await agent.page.getByRole('button', { name: 'Save draft' }).click();
  await agent.page.getByRole('button', { name: 'Publish' }).click();
  await expect(agent.page.getByRole('status')).toHaveText('Moved to published.');
  const articlePath = await agent.page.locator('a[href^="/kb/"]').first().getAttribute('href');
  expect(articlePath).toMatch(/^\/kb\//);

  // A shared macro: a reply with placeholders, a link to the article, and solve.
  await agent.page.goto('/agent/macros/new');
  await agent.page.getByLabel('Title').fill(`Payroll stuck ${stamp}`);
  await agent.page
    .getByLabel('Reply', { exact: true })
    .fill('Hi {{requester.first_name}}, resubmitting the run fixes this. — {{agent.first_name}}');
  await agent.page.getByLabel('Shared with the team').check();
  await agent.page.getByLabel('Link an article or question (optional)').fill(articlePath!);
  await agent.page.getByLabel('Solve the ticket').check();
  await agent.page.getByRole('button', { name: 'Save macro' }).click();
  await expect(agent.page.getByRole('link', { name: `Payroll stuck ${stamp}` })).toBeVisible();

  const subject = `Payroll stuck on Submitting ${stamp}`;
  await customer.page.goto('/requests/new');
  await customer.page.getByLabel('Subject').fill(subject);
  await customer.page
    .getByLabel('How can we help?')
    .fill('The March payroll run has said Submitting since this morning.');
  await customer.page.getByRole('button', { name: 'Send to support' }).click();
  await expect(customer.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const ticketId = new URL(customer.page.url()).pathname.split('/').at(-1);

  // One click to fill it in, an edit, and one to send and run it.
  await agent.page.goto(`/agent/tickets/${ticketId}`);
  await agent.page
    .getByLabel('Macro', { exact: true })
    .selectOption({ label: `Payroll stuck ${stamp}` });
  await agent.page.getByRole('button', { name: 'Apply' }).click();
  const macro = agent.page.getByRole('region', { name: `Macro: Payroll stuck ${stamp}` });
  const reply = macro.getByLabel('Public reply');
  await expect(reply).toHaveValue(/^Hi csatcustomer\S*, resubmitting the run fixes this\. — /);
  await reply.fill(`${await reply.inputValue()}\n\nSorry for the wait.`);
  await expect(macro.getByLabel(`Link “${articleTitle}”`)).toBeChecked();
  await macro.getByRole('button', { name: 'Send and run' }).click();
  await expect(agent.page.getByRole('note').filter({ hasText: 'Solved:' })).toContainText(
    'existing article',
  );

  // The article resolved one ticket.
  await agent.page.goto(articlePath!);
  await expect(agent.page.getByRole('definition').filter({ hasText: /ticket/ })).toContainText(
    '1 ticket',
  );

  // The customer rates it from the solved mail, in the browser the mail app opens.
  let solved: Mail | undefined;
  await expect
    .poll(async () => {
      solved = (await mailsTo(customer.account.email)).find((mail) =>
        (mail.parsed.text ?? '').includes('How did we do?'),
      );
      return Boolean(solved);
    })
    .toBe(true);
  expect(solved!.parsed.text).toContain('Good, thanks');
  // The text part writes Markdown links: [Good, thanks](https://…/rate?rating=good&token=…)
  const rateLink = /\[Good, thanks\]\(https?:\/\/[^/]+([^)\s]+)\)/.exec(
    solved!.parsed.text ?? '',
  )?.[1];
  expect(rateLink).toMatch(new RegExp(`^/requests/${ticketId}/rate\\?rating=good&`));
  const mailApp = await openPage(browser);
  await mailApp.goto(rateLink!);
  await expect(mailApp.getByRole('status')).toContainText('Thank you: we noted “Good”.');

  // The team report counts the rating for the agent who solved it, and for the article.
  await agent.page.goto('/agent/reports');
  const satisfaction = agent.page.getByRole('region', { name: 'Satisfaction', exact: true });
  await expect(satisfaction).toContainText('1 rating · 100% good · 0 bad');
  await expect(
    satisfaction.getByRole('table', { name: 'By agent' }).getByRole('row', {
      name: new RegExp(`^${agent.account.username}`),
    }),
  ).toContainText('100% good');
  await expect(
    satisfaction.getByRole('table', { name: 'By what resolved it' }).getByRole('row'),
  ).toContainText([/Article.*100% good/]);
});
