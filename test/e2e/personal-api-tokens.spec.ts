import type { Page } from '@playwright/test';
import { expect, newPerson, test } from './support/fixtures';

/** Files a request through the customer's own form, the way a customer does. */
async function fileRequest(page: Page, subject: string) {
  await page.goto('/requests/new');
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('How can we help?').fill('The export stops at 80% every single time.');
  await page.getByRole('button', { name: 'Send to support' }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
}

/** Calls API v1 from the page with a bearer token, as a customer's script would. */
async function callApi(page: Page, path: string, token: string) {
  return page.evaluate(
    async ({ path, token }) => {
      const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json() };
    },
    { path, token },
  );
}

test('a customer makes a personal API token, sees it once, reads only their own tickets with it, and revokes it', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const stamp = Date.now();
  const stranger = await newPerson(browser, baseURL, 'tokenstranger');
  await fileRequest(stranger.page, `Stranger’s payroll problem ${stamp}`);
  const customer = await newPerson(browser, baseURL, 'tokencustomer');
  const page = customer.page;
  const mine = `My CSV export stops ${stamp}`;
  await fileRequest(page, mine);

  await page.goto('/settings/security');
  const tokens = page.getByRole('region', { name: 'API tokens' });
  await expect(tokens.getByText('You have no tokens.')).toBeVisible();
  // A customer is offered what a customer may do: no mail relay scope.
  await expect(tokens.getByRole('checkbox')).toHaveCount(2);
  await tokens.getByLabel('Name').fill('Status <b>sheet</b>');
  await expect(tokens.getByRole('checkbox', { name: /read/ })).toBeChecked();
  await tokens.getByRole('button', { name: 'Create token' }).click();

  const reveal = tokens.getByRole('status').filter({ hasText: 'shown only this once' });
  await expect(reveal).toContainText('Copy your new token “Status <b>sheet</b>” now.');
  const token = (await tokens.getByTestId('new-token').textContent()) ?? '';
  expect(token).toMatch(/^cmns_[A-Za-z0-9_-]{32}$/);
  const row = tokens.getByRole('list', { name: 'Your API tokens' }).getByRole('listitem');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Status <b>sheet</b>');
  await expect(row).toContainText(`${token.slice(0, 9)}…`);
  await expect(row).toContainText('never used');

  // Shown once: the page never shows the secret again.
  await page.reload();
  await expect(tokens.getByTestId('new-token')).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row).toHaveCount(1);

  const listed = await callApi(page, '/api/v1/tickets', token);
  expect(listed.status).toBe(200);
  expect(listed.body.tickets.map((ticket: { subject: string }) => ticket.subject)).toEqual([mine]);

  await page.reload();
  await expect(row).toContainText('last used');
  await row.getByRole('button', { name: 'Revoke Status <b>sheet</b>' }).click();
  await expect(tokens.getByRole('status')).toHaveText(
    'Revoked “Status <b>sheet</b>”: it no longer works.',
  );
  await expect(tokens.getByText('You have no tokens.')).toBeVisible();

  const refused = await callApi(page, '/api/v1/tickets', token);
  expect(refused.status).toBe(401);
  expect(refused.body.error.code).toBe('invalid_token');

  await stranger.page.context().close();
  await page.context().close();
});
