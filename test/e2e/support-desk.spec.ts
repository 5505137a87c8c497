import { expect, newPerson, test } from './support/fixtures';

test('a customer asks for help from an article; an agent replies, solves it as a content gap and drafts an article', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const agent = await newPerson(browser, baseURL, 'deskagent', 'agent');
  const customer = await newPerson(browser, baseURL, 'deskcustomer');
  const stamp = Date.now();
  const articleTitle = `Close the books at year end ${stamp}`;

  // An agent publishes the article the customer will read.
  await agent.page.goto('/agent/articles/new');
  await agent.page.getByLabel('Title').fill(articleTitle);
  await agent.page
    .getByLabel('Article')
    .fill(
      '## Steps\n\n1. Reconcile every account.\n2. Lock the period under Settings → Lock dates.',
    );
  await agent.page.getByRole('button', { name: 'Save draft' }).click();
  await agent.page.getByRole('button', { name: 'Publish' }).click();
  await expect(agent.page.getByRole('status')).toHaveText('Moved to published.');
  const articleUrl = new URL(
    (await agent.page
      .getByRole('link', { name: 'View', exact: false })
      .first()
      .getAttribute('href')) ?? '',
    baseURL,
  ).pathname;

  // The customer reads it, still needs help, and files a ticket from it.
  await customer.page.goto(articleUrl);
  const help = customer.page.getByRole('region', { name: 'Still need help?' });
  await help.getByRole('link', { name: 'Contact support' }).click();
  await expect(
    customer.page.getByRole('heading', { level: 1, name: 'Contact support' }),
  ).toBeVisible();
  await expect(customer.page.getByRole('note')).toContainText(articleTitle);
  const subject = `Lock dates ignore our fiscal year ${stamp}`;
  await customer.page.getByLabel('Subject').fill(subject);
  await customer.page
    .getByLabel('How can we help?')
    .fill('Our fiscal year ends in March, but Lock dates only offers 31 December.');
  await customer.page.getByRole('button', { name: 'Send to support' }).click();
  await expect(customer.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(customer.page.getByRole('status')).toContainText('We have your request');
  await expect(customer.page.getByText('About:')).toContainText(articleTitle);
  const requestPath = new URL(customer.page.url()).pathname;
  const ticketId = requestPath.split('/').at(-1);

  // The agent finds it among new tickets, sees the article link, and replies.
  await agent.page.goto('/agent/tickets?view=new');
  await agent.page.getByRole('link', { name: subject }).click();
  await expect(agent.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const linked = agent.page.getByRole('region', { name: 'Linked content' });
  await expect(linked.getByRole('link', { name: articleTitle })).toBeVisible();
  await expect(linked).toContainText('filed from here');
  await agent.page
    .getByLabel('Message')
    .fill('Internal: the fiscal-year lock is a hidden setting.');
  await agent.page.getByRole('button', { name: 'Add internal note' }).click();
  await expect(agent.page.getByText('Internal note', { exact: true })).toBeVisible();
  await agent.page
    .getByLabel('Message')
    .fill('Set **Settings → Financial year end** to 31 March first; Lock dates then follow it.');
  await agent.page.getByRole('button', { name: 'Send public reply' }).click();
  await expect(
    agent.page.getByRole('listitem').filter({ hasText: 'Financial year end' }),
  ).toBeVisible();

  // The customer sees the reply in /requests, and never the note.
  await customer.page.goto('/requests');
  await expect(customer.page.getByRole('row', { name: new RegExp(subject) })).toContainText(
    'Awaiting your reply',
  );
  await customer.page.getByRole('link', { name: subject }).click();
  await expect(customer.page.getByText('Financial year end')).toBeVisible();
  await expect(customer.page.getByText('hidden setting')).toHaveCount(0);
  await expect(customer.page.getByText('Internal note')).toHaveCount(0);

  // The agent solves it: no content exists, and starts an article draft from the reply.
  await agent.page.reload();
  const solve = agent.page.getByRole('region', { name: 'Solve this ticket' });
  await solve.getByLabel('Answered directly — no content exists').check();
  await solve.getByLabel('Start an article draft from my answer').check();
  await solve.getByRole('button', { name: 'Solve ticket' }).click();
  await expect(agent.page.getByLabel('Title')).toHaveValue(subject);
  await expect(agent.page.getByLabel('Article')).toHaveValue(/Financial year end/);
  await expect(agent.page.getByRole('note')).toContainText(`ticket #${ticketId}`);

  await customer.page.reload();
  await expect(customer.page.getByText('Solved', { exact: true })).toBeVisible();
});

test('an escalated thread is solved by a linked answer; staff see "resolved 1 ticket", members see nothing', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const asker = await newPerson(browser, baseURL, 'escasker');
  const helper = await newPerson(browser, baseURL, 'eschelper');
  const agent = await newPerson(browser, baseURL, 'escagent', 'agent');
  const title = `Recurring invoice skipped the first of the month ${Date.now()}`;

  await asker.page.goto('/questions/ask');
  await asker.page.getByLabel('Title').fill(title);
  await asker.page
    .getByLabel('Details')
    .fill('The schedule says Skipped for 1 March and no invoice went out to the client.');
  await asker.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const threadUrl = asker.page.url();

  await helper.page.goto(threadUrl);
  await helper.page
    .getByLabel('Answer', { exact: true })
    .fill(
      'Skipped means the customer had no email address on the 1st. Add one and press Send now.',
    );
  await helper.page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(helper.page.getByRole('article', { name: /Answer by/ })).toBeVisible();

  // Nobody accepted it yet: the asker escalates to support.
  await asker.page.reload();
  await asker.page.getByText('No answer yet? Escalate to support').click();
  await asker.page
    .getByLabel('Anything support should know? (optional)')
    .fill('Client is waiting.');
  await asker.page.getByRole('button', { name: 'Escalate to support' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(asker.page).toHaveURL(/\/requests\/\d+/);

  // Staff see that it is escalated, on the thread.
  await agent.page.goto(threadUrl);
  const staffStats = agent.page.getByLabel('For the team');
  await expect(staffStats).toContainText('resolved 0 tickets');
  await staffStats.getByRole('link', { name: /Escalated to support/ }).click();
  await expect(agent.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(agent.page.getByRole('region', { name: 'Linked content' })).toContainText(
    'escalated from here',
  );

  // The agent links the helper's answer and solves with it.
  await agent.page.getByText(/Answers in linked threads/).click();
  await agent.page.getByRole('button', { name: 'Link this answer' }).click();
  await expect(
    agent.page
      .getByRole('region', { name: 'Linked content' })
      .getByRole('link', { name: /Answer on/ }),
  ).toBeVisible();
  const solve = agent.page.getByRole('region', { name: 'Solve this ticket' });
  await solve.getByLabel('An existing thread or answer').check();
  await solve.getByLabel('Which thread or answer?').selectOption({ label: `Answer on “${title}”` });
  await solve.getByRole('button', { name: 'Solve ticket' }).click();
  await expect(agent.page.getByRole('note')).toContainText('Solved: An existing thread or answer');

  await agent.page.goto(threadUrl);
  await expect(agent.page.getByLabel('For the team')).toContainText('resolved 1 ticket ·');

  // Members (and the asker) see no counter and no team panel.
  for (const member of [helper, asker]) {
    await member.page.goto(threadUrl);
    await expect(member.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(member.page.getByText(/resolved \d+ ticket/)).toHaveCount(0);
    await expect(member.page.getByLabel('For the team')).toHaveCount(0);
  }
});
