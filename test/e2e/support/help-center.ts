import type { Browser, BrowserContext, Page } from '@playwright/test';
import { adminAccount, expect, newAccount, signUpByPost, type Account } from './fixtures';

type Session = Awaited<ReturnType<BrowserContext['storageState']>>;

/** A help center with something on every page, and a signed-in session for each role. */
export type HelpCenter = {
  /** The word every piece of content shares: searching for it finds them all. */
  word: string;
  categorySlug: string;
  categoryEditPath: string;
  tag: string;
  threadPath: string;
  articlePath: string;
  articleEditPath: string;
  requestPath: string;
  ticketPath: string;
  problemPath: string;
  knownIssuePath: string;
  moderatorUserPath: string;
  member: Account;
  sessions: Record<'member' | 'agent' | 'moderator' | 'admin', Session>;
};

/** A signed-in page of its own for the account, signed up first unless it exists. */
async function personPage(
  browser: Browser,
  baseURL: string,
  account: Account,
  isNew: boolean,
): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  if (isNew) {
    await signUpByPost(page, account);
    return page;
  }
  const response = await page.request.post('/login', {
    form: { login: account.username, password: account.password },
    maxRedirects: 0,
  });
  expect(response.status(), `${account.username} signed in`).toBe(302);
  return page;
}

export async function giveRole(admin: Page, account: Account, role: 'agent' | 'moderator') {
  await admin.goto(`/admin/users?q=${account.username}`);
  await admin.getByLabel(`Role of ${account.username}`, { exact: true }).selectOption(role);
  await admin.getByRole('button', { name: `Save role of ${account.username}` }).click();
  await expect(admin.getByRole('status')).toHaveText(`Role updated to ${role}.`);
}

function pathOf(href: string | null, baseURL: string): string {
  if (!href) throw new Error('the link has no address');
  return new URL(href, baseURL).pathname;
}

/**
 * Fills an empty help center through the same forms people use: a category, a published article,
 * a question answered, commented on, accepted and flagged, a request with an agent's reply and an
 * internal note, and a public known issue; then waits until search finds them.
 */
export async function makeHelpCenter(browser: Browser, baseURL: string): Promise<HelpCenter> {
  const stamp = Date.now().toString(36);
  const word = `quillfeed${stamp}`;
  const tag = `payroll-${stamp}`;
  const category = `Payroll ${stamp}`;
  const member = newAccount('askerof');
  const answererAccount = newAccount('answererof');
  const agentAccount = newAccount('agentof');
  const moderatorAccount = newAccount('modof');

  const [admin, asker, answerer, agent, moderator] = await Promise.all([
    personPage(browser, baseURL, adminAccount, false),
    personPage(browser, baseURL, member, true),
    personPage(browser, baseURL, answererAccount, true),
    personPage(browser, baseURL, agentAccount, true),
    personPage(browser, baseURL, moderatorAccount, true),
  ]);
  const pages = [admin, asker, answerer, agent, moderator];
  try {
    await giveRole(admin, agentAccount, 'agent');
    await giveRole(admin, moderatorAccount, 'moderator');

    await admin.goto('/admin/categories');
    await admin.getByLabel('Name').fill(category);
    await admin.getByLabel('Description').fill('Pay runs, payslips and tax filings.');
    await admin.getByRole('button', { name: 'Add category' }).click();
    const categorySlug = `payroll-${stamp}`;
    await expect(admin.getByRole('cell', { name: categorySlug })).toBeVisible();
    const categoryEditPath = pathOf(
      await admin.getByRole('link', { name: category }).getAttribute('href'),
      baseURL,
    );

    // Staff make the tag that the member then chooses (new tags need reputation).
    await agent.goto('/agent/articles/new');
    const articleTitle = `Remove a duplicate ${word} deduction`;
    await agent.getByLabel('Title').fill(articleTitle);
    await agent
      .getByLabel('Article')
      .fill(
        `## Steps\n\n1. Open **Payroll → Schedules**.\n2. Remove the ${word} line.\n\n\`\`\`js\n// the line to remove\nconst deduction = 'duplicate';\n\`\`\``,
      );
    await agent.getByLabel('Category').selectOption({ label: category });
    await agent.getByLabel('Tags').fill(tag);
    await agent.getByRole('button', { name: 'Save draft' }).click();
    await agent.getByRole('button', { name: 'Publish' }).click();
    await expect(agent.getByRole('status')).toHaveText('Moved to published.');
    const articleEditPath = new URL(agent.url()).pathname;
    const articlePath = pathOf(
      await agent.getByRole('link', { name: 'View', exact: false }).first().getAttribute('href'),
      baseURL,
    );

    const title = `Payslips show the ${word} deduction twice`;
    await asker.goto('/questions/ask');
    await asker.getByLabel('Title').fill(title);
    await asker
      .getByLabel('Details')
      .fill(`Since the last pay run every payslip lists the ${word} deduction two times.`);
    await asker.getByLabel('Category').selectOption({ label: category });
    await asker.getByLabel('Tags').fill(tag);
    await asker.getByRole('button', { name: 'Post your question' }).click();
    await expect(asker.getByRole('heading', { level: 1, name: title })).toBeVisible();
    const threadPath = new URL(asker.url()).pathname;

    await answerer.goto(threadPath);
    await answerer
      .getByLabel('Answer', { exact: true })
      .fill(
        `The ${word} deduction is set on the employee **and** on the pay schedule: remove one.`,
      );
    await answerer.getByRole('button', { name: 'Post your answer' }).click();
    const answer = answerer.getByRole('article', { name: /Answer by/ });
    await expect(answer).toBeVisible();
    await answer.getByText('Add a comment').click();
    await answer.getByLabel('Comment').fill('The pay schedule one is under Payroll → Schedules.');
    await answer.getByRole('button', { name: 'Add comment' }).click();
    await expect(answer.getByRole('list', { name: 'Comments' })).toContainText('Schedules');
    const question = answerer.getByRole('article', { name: 'Question' });
    await question.getByText('Flag', { exact: true }).click();
    await question.getByLabel('Spam').check();
    await question.getByRole('button', { name: 'Flag for moderators' }).click();
    await expect(answerer.getByRole('status')).toContainText('a moderator will review it');

    await asker.reload();
    await asker.getByRole('button', { name: 'Accept this answer' }).click();
    await expect(asker.getByText('Accepted answer', { exact: true })).toBeVisible();

    const subject = `Payslip totals are off by the ${word} deduction`;
    await asker.goto('/requests/new');
    await asker.getByLabel('Subject').fill(subject);
    await asker.getByLabel('How can we help?').fill('Every payslip is short by the same amount.');
    await asker.getByRole('button', { name: 'Send to support' }).click();
    await expect(asker.getByRole('heading', { level: 1, name: subject })).toBeVisible();
    const requestPath = new URL(asker.url()).pathname;
    const ticketPath = `/agent/tickets/${requestPath.split('/').at(-1)}`;
    await agent.goto(ticketPath);
    await agent.getByLabel('Message').fill('Internal: same as the community thread.');
    await agent.getByRole('button', { name: 'Add internal note' }).click();
    await expect(agent.getByText('Internal note', { exact: true })).toBeVisible();
    await agent.getByLabel('Message').fill('Remove the deduction from the pay schedule.');
    await agent.getByRole('button', { name: 'Send public reply' }).click();
    await expect(
      agent.getByRole('listitem').filter({ hasText: 'from the pay schedule' }),
    ).toBeVisible();

    await agent.goto('/agent/problems/new');
    await agent.getByLabel('Title').fill(`Payslips list a deduction twice ${stamp}`);
    await agent
      .getByLabel('For customers (optional)')
      .fill('Some payslips show one deduction twice; the totals are right.');
    await agent.getByLabel(/Public: customers see it/).check();
    await agent.getByRole('button', { name: 'Create known issue' }).click();
    await expect(agent.getByRole('heading', { level: 1 })).toContainText('Payslips list');
    const problemPath = new URL(agent.url()).pathname;
    const knownIssuePath = `/known-issues/${problemPath.split('/').at(-1)}`;

    await moderator.goto('/mod/queue');
    await expect(moderator.getByRole('listitem').filter({ hasText: title }).first()).toBeVisible();
    await admin.goto(`/admin/users?q=${answererAccount.username}`);
    const answererId = await admin
      .getByRole('row', { name: new RegExp(answererAccount.username) })
      .locator('input[name="userId"]')
      .first()
      .getAttribute('value');
    const moderatorUserPath = `/mod/users/${answererId}`;

    // The search index catches up with the outbox a moment after the writes.
    await expect(async () => {
      await asker.goto(`/search?q=${word}`);
      await expect(asker.getByRole('link', { name: title })).toBeVisible({ timeout: 500 });
      await expect(asker.getByRole('link', { name: articleTitle })).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 20_000 });

    const sessions = {
      member: await asker.context().storageState(),
      agent: await agent.context().storageState(),
      moderator: await moderator.context().storageState(),
      admin: await admin.context().storageState(),
    };
    return {
      word,
      categorySlug,
      categoryEditPath,
      tag,
      threadPath,
      articlePath,
      articleEditPath,
      requestPath,
      ticketPath,
      problemPath,
      knownIssuePath,
      moderatorUserPath,
      member,
      sessions,
    };
  } finally {
    await Promise.all(pages.map((page) => page.context().close()));
  }
}
