import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startSmtpServer } from '../support/smtp';
import { adminAccount, signIn, accountMenu, type Account } from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

// This file runs its own server, which sends its mail to a real SMTP server started here: the
// fix of a known issue must reach each person it affects exactly once.
let server: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

test.beforeAll(async ({ playwright }) => {
  smtp = await startSmtpServer();
  server = await startTestServer({
    env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'help@commons.example' },
  });
  const api = await playwright.request.newContext({ baseURL: server.url });
  const response = await api.post('/signup', { form: { ...adminAccount }, maxRedirects: 0 });
  expect(response.status(), 'admin account created').toBe(302);
  await api.dispose();
});

test.afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

const contexts: BrowserContext[] = [];

async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  contexts.push(context);
  return context.newPage();
}

test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

const mailsTo = (address: string) =>
  smtp.received.filter((mail) => mail.envelopeTo.includes(address));

async function waitForMail(address: string, subject: RegExp) {
  await expect
    .poll(() => mailsTo(address).some((mail) => subject.test(mail.parsed.subject ?? '')), {
      message: `a mail to ${address} about ${subject}`,
      timeout: 15_000,
    })
    .toBe(true);
  return mailsTo(address).find((mail) => subject.test(mail.parsed.subject ?? ''))!;
}

let counter = 0;
/** Signs up with an address at this domain and confirms it from the mail. */
async function newPerson(browser: Browser, prefix: string, domain: string) {
  counter += 1;
  const username = `${prefix}${Date.now().toString(36)}${counter}`;
  const account: Account = {
    email: `${username}@${domain}`,
    username,
    password: `staple battery horse ${counter}`,
  };
  const page = await openPage(browser);
  await page.goto('/signup');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(accountMenu(page)).toBeVisible();
  const confirmation = await waitForMail(account.email, /^Confirm your email address/);
  const link = /https?:\/\/[^/\s]+(\/verify-email\/[^\s>)]+)/.exec(confirmation.parsed.text ?? '');
  await page.goto(link![1]!);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('button', { name: 'Confirm my address' })).toHaveCount(0);
  return { page, account };
}

async function fileRequest(page: Page, subject: string) {
  await page.goto('/requests/new');
  await page.getByLabel('Subject').fill(subject);
  await page
    .getByLabel('How can we help?')
    .fill('The payroll run says one direct deposit came back with R03.');
  await page.getByRole('button', { name: 'Send to support' }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  return Number(new URL(page.url()).pathname.split('/').at(-1));
}

test('an agent gathers three tickets from two organisations and a thread into a known issue; fixed, each person hears once and the tickets are solved', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const admin = await openPage(browser);
  await signIn(admin, adminAccount);
  for (const [name, domain] of [
    ['Northfield Family Clinic', 'northfield.example'],
    ['Brightside Bakery', 'brightside.example'],
  ]) {
    await admin.goto('/admin/organizations');
    await admin.getByLabel('Name').fill(name!);
    await admin.getByLabel('Email domains').fill(domain!);
    await admin.getByRole('button', { name: 'Add organization' }).click();
    await expect(admin.getByRole('status')).toHaveText('Organization added.');
  }

  const nurse = await newPerson(browser, 'nurse', 'northfield.example');
  const clerk = await newPerson(browser, 'clerk', 'northfield.example');
  const baker = await newPerson(browser, 'baker', 'brightside.example');
  const follower = await newPerson(browser, 'follower', 'example.com');
  const agent = await newPerson(browser, 'agent', 'commons.example');
  await admin.goto(`/admin/users?q=${agent.account.username}`);
  await admin
    .getByLabel(`Role of ${agent.account.username}`, { exact: true })
    .selectOption('agent');
  await admin.getByRole('button', { name: `Save role of ${agent.account.username}` }).click();
  await expect(admin.getByRole('status')).toHaveText('Role updated to agent.');

  const stamp = Date.now();
  const tickets = [
    await fileRequest(nurse.page, `Deposit for our new nurse came back R03 ${stamp}`),
    await fileRequest(clerk.page, `R03 return on payroll ${stamp}`),
    await fileRequest(baker.page, `Direct deposit rejected: no account/unable to locate ${stamp}`),
  ];
  // The nurse also asks the community.
  await nurse.page.goto('/questions/ask');
  await nurse.page.getByLabel('Title').fill(`Why do direct deposits bounce with R03? ${stamp}`);
  await nurse.page
    .getByLabel('Details')
    .fill('A deposit to a new employee came back with return code R03 this morning.');
  await nurse.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(nurse.page.getByRole('heading', { level: 1 })).toContainText('R03');
  const threadUrl = nurse.page.url();

  // The agent starts a known issue from the first ticket and links the rest.
  const title = `Direct deposits to new employees fail with R03 ${stamp}`;
  await agent.page.goto(`/agent/tickets/${tickets[0]}`);
  await agent.page.getByRole('link', { name: 'New known issue from this ticket' }).click();
  await agent.page.getByLabel('Title').fill(title);
  await agent.page
    .getByLabel('For customers (optional)')
    .fill('Deposits to employees added this month are rejected by their bank with R03.');
  await agent.page.getByLabel(/Public: customers see it/).check();
  await agent.page.getByRole('button', { name: 'Create known issue' }).click();
  await expect(agent.page.getByRole('heading', { level: 1 })).toContainText(title);
  for (const reference of [`#${tickets[1]}`, `#${tickets[2]}`, threadUrl]) {
    await agent.page.getByLabel('Link a ticket, question or answer').fill(reference);
    await agent.page.getByRole('button', { name: 'Link', exact: true }).click();
    await expect(agent.page.getByLabel('Link a ticket, question or answer')).toHaveValue('');
  }
  const linked = agent.page.getByRole('table', { name: 'Linked tickets' });
  await expect(linked.getByRole('row')).toHaveCount(4);
  await expect(agent.page.getByRole('list', { name: 'Organisations affected' })).toContainText(
    'Northfield Family Clinic',
  );
  await expect(agent.page.getByRole('list', { name: 'Organisations affected' })).toContainText(
    'Brightside Bakery',
  );

  // A customer who has it too finds it on the question and follows it.
  await follower.page.goto(threadUrl);
  const banner = follower.page.getByRole('complementary', { name: 'Known issue' });
  await expect(banner).toContainText(title);
  await banner.getByRole('link', { name: 'Affects you too? Follow it' }).click();
  await follower.page.getByRole('button', { name: 'This affects me too' }).click();
  await expect(follower.page.getByRole('button', { name: 'Stop following' })).toBeVisible();

  // Fixed, with "solve linked tickets".
  await agent.page.reload();
  const update = agent.page.getByRole('region', { name: 'Post an update' });
  await update.getByLabel('State').selectOption('fixed');
  await update.getByLabel('Note (optional)').fill('The bank file is fixed: resend the deposit.');
  await expect(update.getByLabel(/solve the 3 open linked tickets/)).toBeChecked();
  await update.getByRole('button', { name: 'Post update' }).click();
  await expect(agent.page.getByRole('status')).toContainText(
    'Update posted. 4 people were mailed. 3 linked tickets were solved.',
  );

  // One mail each: the three requesters (the nurse also asked the question) and the follower.
  const subject = new RegExp(`^Fixed: ${title}$`);
  for (const person of [nurse, clerk, baker, follower]) {
    const mail = await waitForMail(person.account.email, subject);
    expect(mail.parsed.text).toContain('The bank file is fixed: resend the deposit.');
  }
  await expect
    .poll(() =>
      [nurse, clerk, baker, follower].map(
        (person) =>
          mailsTo(person.account.email).filter((mail) => subject.test(mail.parsed.subject ?? ''))
            .length,
      ),
    )
    .toEqual([1, 1, 1, 1]);
  expect(
    mailsTo(agent.account.email).filter((mail) => subject.test(mail.parsed.subject ?? '')),
  ).toEqual([]);

  // The tickets are solved with "known issue", and the gap dashboard counts them.
  await agent.page.goto(`/agent/tickets/${tickets[2]}`);
  await expect(agent.page.getByRole('note').filter({ hasText: 'Solved:' })).toContainText(
    'A known issue, fixed',
  );
  await agent.page.goto('/agent/gaps?range=7');
  const resolved = agent.page.getByRole('table', { name: /What resolved tickets, by day/ });
  await expect(resolved.getByRole('columnheader', { name: 'Known issue' })).toBeVisible();
  await expect(agent.page.getByText(/100% known issue/)).toBeVisible();
});
