import { adminAccount, expect, newPerson, signIn, test } from './support/fixtures';

test('an internal article linked on a ticket reaches the customer as text; a beta category is seen by its group only', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const agent = await newPerson(browser, baseURL, 'wswagent', 'agent');
  const customer = await newPerson(browser, baseURL, 'wswcustomer');
  const tester = await newPerson(browser, baseURL, 'wswbeta');
  const outsider = await newPerson(browser, baseURL, 'wswoutsider');

  // The agent writes an internal article: staff only.
  const articleTitle = `Escalation path for stuck bank feeds ${stamp}`;
  await agent.page.goto('/agent/articles/new');
  await agent.page.getByLabel('Title').fill(articleTitle);
  await agent.page
    .getByLabel('Article')
    .fill('## When to escalate\n\n1. Check the feed log.\n2. Page the banking on-call engineer.');
  await agent.page.getByRole('radio', { name: /Staff only \(internal\)/ }).check();
  await agent.page.getByRole('button', { name: 'Save draft' }).click();
  await agent.page.getByRole('button', { name: 'Publish' }).click();
  await expect(agent.page.getByRole('status')).toHaveText('Moved to published.');
  const articlePath = new URL(
    (await agent.page
      .getByRole('link', { name: 'View', exact: false })
      .first()
      .getAttribute('href')) ?? '',
    baseURL,
  ).pathname;
  await agent.page.goto(articlePath);
  await expect(agent.page.getByRole('heading', { level: 1, name: articleTitle })).toBeVisible();
  await expect(agent.page.getByText('Internal', { exact: true }).first()).toBeVisible();

  // The customer may not open it at all, and does not learn it exists.
  const hidden = await customer.page.goto(articlePath);
  expect(hidden?.status()).toBe(404);

  // The customer files a ticket; the agent links the article and replies with a link to it.
  const subject = `Bank feed stuck on pending ${stamp}`;
  await customer.page.goto('/requests/new');
  await customer.page.getByLabel('Subject').fill(subject);
  await customer.page
    .getByLabel('How can we help?')
    .fill('Our bank feed has shown "pending" for three days.');
  await customer.page.getByRole('button', { name: 'Send to support' }).click();
  await expect(customer.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const requestPath = new URL(customer.page.url()).pathname;
  const ticketId = requestPath.split('/').at(-1);

  await agent.page.goto(`/agent/tickets/${ticketId}`);
  const linked = agent.page.getByRole('region', { name: 'Linked content' });
  await linked.getByLabel('Link a thread, answer or article').fill(`${baseURL}${articlePath}`);
  await linked.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(linked.getByRole('link', { name: articleTitle })).toBeVisible();
  await expect(linked).toContainText('Internal');
  await agent.page
    .getByLabel('Message')
    .fill(`I followed our [escalation steps](${articlePath}) and the bank is re-sending the feed.`);
  await agent.page.getByRole('button', { name: 'Send public reply' }).click();
  await expect(agent.page.getByRole('link', { name: 'escalation steps' })).toBeVisible();

  // The customer reads the reply with the words but no link, and no linked internal article.
  await customer.page.goto(requestPath);
  await expect(customer.page.getByText('the bank is re-sending the feed')).toBeVisible();
  await expect(customer.page.getByText('escalation steps')).toBeVisible();
  await expect(customer.page.getByRole('link', { name: 'escalation steps' })).toHaveCount(0);
  await expect(customer.page.getByText(articleTitle)).toHaveCount(0);
  await expect(customer.page.locator(`a[href*="${articlePath}"]`)).toHaveCount(0);

  // An admin makes a beta group with the tester in it, and a category for that group only.
  const adminContext = await browser.newContext({ baseURL });
  const admin = await adminContext.newPage();
  await signIn(admin, adminAccount);
  const groupName = `Beta testers ${stamp}`;
  await admin.goto('/admin/groups');
  await admin.getByLabel('Name').fill(groupName);
  await admin.getByRole('button', { name: 'Add group' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  await admin.getByLabel('Add a person').fill(tester.account.username);
  await admin.getByRole('button', { name: 'Add person' }).click();
  await expect(admin.getByRole('main')).toContainText(tester.account.username);

  const categoryName = `Beta lab ${stamp}`;
  await admin.goto('/admin/categories');
  await admin.getByLabel('Name').fill(categoryName);
  await admin.getByRole('radio', { name: /Listed groups and organisations/ }).check();
  await admin.getByRole('checkbox', { name: groupName }).check();
  await admin.getByRole('button', { name: 'Add category' }).click();
  await expect(admin.getByRole('row', { name: new RegExp(categoryName) })).toContainText(groupName);
  await adminContext.close();
  const categoryPath = `/categories/beta-lab-${stamp}`;

  // The tester sees the category and asks in it; the outsider gets 404 for both.
  await tester.page.goto(categoryPath);
  await expect(tester.page.getByRole('heading', { level: 1, name: categoryName })).toBeVisible();
  const question = `Does the beta importer keep attachments ${stamp}?`;
  await tester.page.goto('/questions/ask');
  await tester.page.getByLabel('Title').fill(question);
  await tester.page
    .getByLabel('Details')
    .fill('Trying the new importer from the beta: do receipts come across with the bills?');
  await tester.page.getByLabel('Category').selectOption({ label: categoryName });
  await tester.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(tester.page.getByRole('heading', { level: 1, name: question })).toBeVisible();
  const questionPath = new URL(tester.page.url()).pathname;

  expect((await outsider.page.goto(categoryPath))?.status()).toBe(404);
  expect((await outsider.page.goto(questionPath))?.status()).toBe(404);
  await outsider.page.goto('/questions');
  await expect(outsider.page.getByText(question)).toHaveCount(0);
  await outsider.page.goto('/questions/ask');
  await expect(
    outsider.page.getByLabel('Category').locator('option', { hasText: categoryName }),
  ).toHaveCount(0);
});
