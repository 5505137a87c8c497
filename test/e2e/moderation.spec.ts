import { expect, newPerson, test } from './support/fixtures';

test('three members flag an answer: it leaves the page and search; a moderator restores it from the queue', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const asker = await newPerson(browser, baseURL, 'flagasker');
  const answerer = await newPerson(browser, baseURL, 'flaganswerer');
  const flaggers = [
    await newPerson(browser, baseURL, 'flagger1'),
    await newPerson(browser, baseURL, 'flagger2'),
    await newPerson(browser, baseURL, 'flagger3'),
  ];
  const moderator = await newPerson(browser, baseURL, 'flagmod', 'moderator');
  const word = `quokkafeed${Date.now().toString(36)}`;
  const title = `Payroll export misses the holiday column ${Date.now()}`;

  await asker.page.goto('/questions/ask');
  await asker.page.getByLabel('Title').fill(title);
  await asker.page
    .getByLabel('Details')
    .fill('The CSV export has no column for holiday pay this month.');
  await asker.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const threadUrl = asker.page.url();

  await answerer.page.goto(threadUrl);
  await answerer.page
    .getByLabel('Answer', { exact: true })
    .fill(`Turn on the ${word} option under Payroll settings, then export again.`);
  await answerer.page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(answerer.page.getByRole('article', { name: /Answer by/ })).toBeVisible();

  const reader = flaggers[0]!.page;
  const searchFinds = async (visible: boolean) =>
    expect(async () => {
      await reader.goto(`/search?q=${word}`);
      await expect(reader.getByRole('link', { name: title })).toHaveCount(visible ? 1 : 0, {
        timeout: 500,
      });
    }).toPass({ timeout: 15_000 });
  await searchFinds(true);

  for (const [index, flagger] of flaggers.entries()) {
    await flagger.page.goto(threadUrl);
    const answer = flagger.page.getByRole('article', { name: /Answer by/ });
    await answer.getByText('Flag', { exact: true }).click();
    await answer.getByLabel('Spam').check();
    await answer.getByRole('button', { name: 'Flag for moderators' }).click();
    await expect(flagger.page.getByRole('status')).toContainText(
      index < 2 ? 'a moderator will review it' : 'it is hidden until a moderator reviews it',
    );
  }

  // Gone for members, and from search.
  await asker.page.goto(threadUrl);
  await expect(asker.page.getByRole('heading', { name: '0 answers' })).toBeVisible();
  await searchFinds(false);
  // Its author still sees it, and why.
  await answerer.page.goto(threadUrl);
  await expect(answerer.page.getByText('Hidden pending review.')).toBeVisible();

  // The moderator restores it from the queue.
  await moderator.page.goto('/mod/queue');
  const item = moderator.page.getByRole('listitem').filter({ hasText: title }).first();
  await expect(item).toContainText('3 flags');
  await item.getByLabel(/Reason/).fill('Not spam: a real setting');
  await item.getByRole('button', { name: 'Restore' }).click();
  await expect(moderator.page.getByRole('status')).toHaveText('Restored.');

  await asker.page.goto(threadUrl);
  await expect(asker.page.getByText(`Turn on the ${word} option`)).toBeVisible();
  await searchFinds(true);

  await moderator.page.goto('/mod/log');
  const row = moderator.page.getByRole('row').filter({ hasText: 'Not spam: a real setting' });
  await expect(row).toContainText('restored');
  await expect(row).toContainText(moderator.account.username);
  await expect(
    moderator.page.getByRole('row').filter({ hasText: 'hidden by flags' }).first(),
  ).toContainText('3 people flagged it');
});

test('a brand-new account’s post with a link waits for approval, unseen by others, until a moderator approves it', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const newcomer = await newPerson(browser, baseURL, 'newcomer');
  const other = await newPerson(browser, baseURL, 'othermember');
  const moderator = await newPerson(browser, baseURL, 'approvemod', 'moderator');
  const title = `Is there a Xero import template somewhere ${Date.now()}`;

  await newcomer.page.goto('/questions/ask');
  await newcomer.page.getByLabel('Title').fill(title);
  await newcomer.page
    .getByLabel('Details')
    .fill('I found https://example.com/templates but it looks outdated. Is there an official one?');
  await newcomer.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(newcomer.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(newcomer.page.getByRole('status')).toContainText(
    'A moderator reviews posts with links',
  );
  await expect(newcomer.page.getByText('Awaiting review.')).toBeVisible();
  const threadUrl = newcomer.page.url().split('?')[0]!;

  // Nobody else sees it: not the page, not the list.
  const response = await other.page.goto(threadUrl);
  expect(response?.status()).toBe(404);
  await other.page.goto('/questions');
  await expect(other.page.getByRole('link', { name: title })).toHaveCount(0);

  await moderator.page.goto('/mod/queue');
  const waiting = moderator.page.getByRole('region', { name: /Awaiting approval/ });
  const item = waiting.getByRole('listitem').filter({ hasText: title });
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(moderator.page.getByRole('status')).toHaveText('Approved: everyone can see it now.');

  await other.page.goto(threadUrl);
  await expect(other.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await other.page.goto('/questions');
  await expect(other.page.getByRole('link', { name: title })).toBeVisible();

  await moderator.page.goto(`/mod/log?user=${newcomer.account.username}`);
  await expect(moderator.page.getByRole('row').filter({ hasText: 'approved' })).toContainText(
    moderator.account.username,
  );
});
