import type { Page } from '@playwright/test';
import { base32Decode, hotp, timeStep } from '../../app/utils/totp.server';
import { accountMenu, expect, newPerson, signOut, test, type Account } from './support/fixtures';

/**
 * A code as the person's app would show it, for a time step after the last one used (the server
 * refuses a step twice). The server accepts the step after the current one, so at most that is
 * computed ahead; past it, the test waits for the clock.
 */
async function freshCode(secret: string, lastStep: number) {
  for (;;) {
    const current = timeStep(new Date());
    const step = Math.max(current, lastStep + 1);
    if (step <= current + 1) return { code: hotp(base32Decode(secret), step), step };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Sets up two-factor on the settings page; returns the secret, its step and the recovery codes. */
async function enrol(page: Page) {
  await page.goto('/settings/two-factor');
  await page.getByRole('button', { name: 'Set up two-factor' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = ((await page.getByLabel('Setup key').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const { code, step } = await freshCode(secret, -1);
  await page.getByLabel('Code from your app').fill(code);
  await page.getByRole('button', { name: 'Turn on two-factor' }).click();
  await expect(page.getByRole('status')).toHaveText(/Two-factor is on/);
  const codes = await page
    .getByRole('list', { name: 'Recovery codes' })
    .getByRole('listitem')
    .allTextContents();
  expect(codes).toHaveLength(10);
  return { secret, step, recoveryCodes: codes };
}

/** The password step: it leads to the code step, and no one is signed in yet. */
async function passwordStep(page: Page, account: Account) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor code' })).toBeVisible();
  await expect(accountMenu(page)).toHaveCount(0);
}

/** Types a code and waits for the server's answer (the message on the page may be the last one's). */
async function typeCode(page: Page, code: string) {
  await page.getByLabel('Code', { exact: true }).fill(code);
  await Promise.all([
    page.waitForResponse(
      (response) =>
        response.url().includes('/login/two-factor') && response.request().method() === 'POST',
    ),
    page.getByRole('button', { name: 'Verify' }).click(),
  ]);
}

const wrongCodeMessage = /That code is not right, or it was used already/;

test('an agent sets up two-factor, then signs in with a code, and with a recovery code only once', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const { page, account } = await newPerson(browser, baseURL, 'agent2fa', 'agent');
  const { secret, step, recoveryCodes } = await enrol(page);
  await signOut(page);

  await passwordStep(page, account);
  const { code } = await freshCode(secret, step);
  const wrong = String((Number(code) + 5) % 1_000_000).padStart(6, '0');
  await typeCode(page, wrong);
  await expect(page.getByText(wrongCodeMessage)).toBeVisible();
  await expect(accountMenu(page)).toHaveCount(0);
  await typeCode(page, code);
  await expect(accountMenu(page)).toBeVisible();
  await page.goto('/agent/tickets');
  await expect(page.getByRole('heading', { name: 'Tickets' })).toBeVisible();
  await signOut(page);

  const [recoveryCode = ''] = recoveryCodes;
  await passwordStep(page, account);
  await typeCode(page, recoveryCode);
  await expect(accountMenu(page)).toBeVisible();
  await page.goto('/settings/two-factor');
  await expect(page.getByText('9 of 10 recovery codes left.')).toBeVisible();
  await signOut(page);

  await passwordStep(page, account);
  await typeCode(page, recoveryCode);
  await expect(page.getByText(wrongCodeMessage)).toBeVisible();
  await expect(accountMenu(page)).toHaveCount(0);
  await page.context().close();
});

test('wrong codes count on the sign-in limits: enough of them pause sign-in, as wrong passwords do', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const { page, account } = await newPerson(browser, baseURL, 'guess2fa');
  const { secret, step } = await enrol(page);
  await signOut(page);
  await passwordStep(page, account);
  const { code } = await freshCode(secret, step);
  const wrong = String((Number(code) + 3) % 1_000_000).padStart(6, '0');
  // Ten checks per account and address in 15 minutes (the password step's check was forgiven).
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await typeCode(page, wrong);
    await expect(page.getByText(wrongCodeMessage)).toBeVisible();
  }
  await typeCode(page, code);
  await expect(page.getByRole('alert')).toHaveText(
    /Too many failed sign-in attempts\. For your security, sign-in is paused: try again in 1[45] minutes\./,
  );
  await expect(accountMenu(page)).toHaveCount(0);
  await page.context().close();
});
