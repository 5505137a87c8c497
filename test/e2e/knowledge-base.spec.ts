import { expect, newPerson, test } from './support/fixtures';

test('an agent promotes an accepted answer into an article that readers rate', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const asker = await newPerson(browser, baseURL, 'kbasker');
  const answerer = await newPerson(browser, baseURL, 'kbanswerer');
  const agent = await newPerson(browser, baseURL, 'kbagent', 'agent');
  const reader = await newPerson(browser, baseURL, 'kbreader');
  const title = `How do I send statements to every customer at month end ${Date.now()}`;

  await asker.page.goto('/questions/ask');
  await asker.page.getByLabel('Title').fill(title);
  await asker.page
    .getByLabel('Details')
    .fill(
      'I want one statement per customer on the last day of each month, without clicking through each.',
    );
  await asker.page.getByRole('button', { name: 'Post your question' }).click();
  await expect(asker.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const threadUrl = asker.page.url();

  await answerer.page.goto(threadUrl);
  await answerer.page
    .getByLabel('Answer', { exact: true })
    .fill(
      'Open **Sales → Statements → Schedule**, choose *Last day of month* and tick *All customers*. If it fails, write to jane.doe@brightside.example and she will check your template.',
    );
  await answerer.page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(answerer.page.getByRole('article', { name: /Answer by/ })).toBeVisible();

  await asker.page.reload();
  await asker.page.getByRole('button', { name: 'Accept this answer' }).click();
  await expect(asker.page.getByText('Accepted answer', { exact: true })).toBeVisible();

  // The agent promotes it: a draft prefilled from the thread.
  await agent.page.goto(threadUrl);
  await agent.page.getByRole('button', { name: 'Promote to article' }).click();
  await expect(agent.page.getByLabel('Title')).toHaveValue(title);
  await expect(agent.page.getByLabel('Article')).toHaveValue(/Sales → Statements → Schedule/);
  const warning = agent.page.getByRole('region', { name: 'Personal data found' });
  await expect(warning).toContainText('Email address: jane.doe@brightside.example');
  await warning.getByRole('button', { name: 'Remove personal data' }).click();
  await expect(agent.page.getByRole('status')).toHaveText('Personal data removed.');
  await expect(agent.page.getByRole('region', { name: 'Personal data found' })).toHaveCount(0);
  await expect(agent.page.getByLabel('Article')).toHaveValue(/write to \[email removed\] and she/);
  await agent.page.getByRole('button', { name: 'Publish' }).click();
  await expect(agent.page.getByRole('status')).toHaveText('Moved to published.');

  await asker.page.reload();
  const banner = asker.page.getByRole('note').filter({ hasText: 'This answer became the article' });
  await expect(banner).toBeVisible();

  // A member reads it, says No (outdated), then changes their mind.
  await reader.page.goto(threadUrl);
  await reader.page.getByRole('note').getByRole('link', { name: title }).click();
  await expect(reader.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(reader.page.getByText('Based on a community answer by')).toBeVisible();
  await expect(reader.page.locator('.prose')).not.toContainText('jane.doe');
  await reader.page.getByRole('button', { name: 'No', exact: true }).click();
  await reader.page.getByLabel('It is outdated').check();
  await reader.page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(reader.page.getByLabel('It is outdated')).toBeChecked();
  await reader.page.getByRole('button', { name: 'Actually, it helped' }).click();
  await expect(reader.page.getByText('Thanks, glad it helped.')).toBeVisible();

  const articleUrl = reader.page.url();
  await agent.page.goto(articleUrl);
  await expect(agent.page.getByRole('region', { name: 'For the team' })).toContainText(
    'Helpful100% (1 vote)',
  );
  await agent.page.goto('/agent/articles');
  await expect(agent.page.getByRole('row', { name: new RegExp(title) })).toContainText('100% of 1');
});

test('a member can neither open the article editor nor post to it', async ({
  browser,
  baseURL,
}) => {
  const member = await newPerson(browser, baseURL, 'kbmember');
  const response = await member.page.goto('/agent/articles/new');
  expect(response?.status()).toBe(403);
  await expect(
    member.page.getByRole('heading', { name: 'You do not have access to this page' }),
  ).toBeVisible();
  const post = await member.page.request.post('/agent/articles/new', {
    form: {
      title: 'Not allowed',
      slug: '',
      body: 'Members cannot write articles at all.',
      categoryId: '',
      tags: '',
      journeyStage: '',
    },
    headers: { Origin: baseURL ?? '' },
    maxRedirects: 0,
  });
  expect(post.status()).toBe(403);
  expect((await member.page.goto('/kb/not-a-published-article'))?.status()).toBe(404);
});
