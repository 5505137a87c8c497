import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp';
import {
  accountMenu,
  adminAccount,
  expect,
  newAccount,
  signIn,
  signOut,
  test,
} from './support/fixtures';
import { startTestServer, type TestServer } from './support/server';

// These tests run on a server of their own: account mails are limited per client address, and
// every browser here is 127.0.0.1, so other files' sign-ups must not use up the allowance. Its
// mail worker sends to a real SMTP server started here, and links are read from what it received.
let smtp: SmtpTestServer;
let server: TestServer;

test.beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({ env: { SMTP_URL: smtp.url } });
  // The first account of an instance is its admin.
  const signedUp = await fetch(`${server.url}/signup`, {
    method: 'POST',
    body: new URLSearchParams(adminAccount),
    redirect: 'manual',
  });
  expect(signedUp.status, 'admin account created').toBe(302);
});

test.afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

/** The Message-IDs of the mails the server queued for this address, newest first. */
function queuedMail(to: string): string[] {
  const db = database();
  try {
    const rows = db
      .prepare(
        "select message_id from mail_outbox where to_address = ? and status not in ('skipped', 'failed') order by id desc",
      )
      .all(to) as { message_id: string }[];
    return rows.map((row) => row.message_id.replace(/^<|>$/g, ''));
  } finally {
    db.close();
  }
}

/**
 * The link in the newest mail the server queued for this address with such a link, as a person
 * clicks it. NOTE: newest queued, not newest received: the SMTP server parses mails as they come
 * and may finish a later one first, so a resent link could be read before the one it replaced.
 */
async function linkFromMail(to: string, page: 'reset-password' | 'claim' | 'verify-email') {
  const pattern = new RegExp(`/${page}/[A-Za-z0-9_-]{43}`);
  let found: string | null = null;
  await expect
    .poll(
      () => {
        for (const messageId of queuedMail(to)) {
          const mail = smtp.received.find(
            (received) => received.parsed.messageId?.replace(/^<|>$/g, '') === messageId,
          );
          // Not arrived yet: its link may be the newest, so wait for it.
          if (!mail) return false;
          const match = pattern.exec(mail.parsed.text ?? '');
          if (!match) continue;
          found = match[0];
          return true;
        }
        return false;
      },
      { message: `a mail to ${to} with a /${page}/ link`, timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** Changes rows of the server's database as time or an importer would (the server keeps running). */
function database() {
  return new SQLite(path.join(server.dataDir, 'commons.db'));
}

const contexts: BrowserContext[] = [];

/** A browser of its own (one person, one device) on this file's server. */
async function openContext(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  contexts.push(context);
  return context.newPage();
}

test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signUpOn(page: Page, account: ReturnType<typeof newAccount>) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(accountMenu(page)).toBeVisible();
}

test('forgot password: the mailed link sets a new password, the old session is gone and the link works once', async ({
  browser,
}) => {
  // Three browsers, four password hashes and a mail round trip: longer than most tests.
  test.slow();
  const page = await openContext(browser);
  const account = newAccount('forgetful');
  await signUpOn(page, account);
  // The same person, signed in on another device.
  const otherDevice = await openContext(browser);
  await signIn(otherDevice, account);

  const stranger = await openContext(browser);
  await stranger.goto('/login');
  await stranger.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(stranger.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await stranger.getByLabel('Email', { exact: true }).fill(account.email.toUpperCase());
  await stranger.getByRole('button', { name: 'Send me a link' }).click();
  await expect(stranger.getByRole('status')).toContainText('a link is on its way');

  // An address without an account gets the very same page.
  const nobody = await openContext(browser);
  await nobody.goto('/forgot-password');
  await nobody.getByLabel('Email').fill('no-such-person@example.com');
  await nobody.getByRole('button', { name: 'Send me a link' }).click();
  await expect(nobody.getByRole('status')).toContainText('a link is on its way');

  const link = await linkFromMail(account.email, 'reset-password');
  await stranger.goto(link);
  await expect(stranger.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await stranger.getByLabel('New password').fill('short');
  await stranger.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(stranger.getByText('Use at least 10 characters.')).toBeVisible();
  const newPassword = 'a fresh and different passphrase';
  await stranger.getByLabel('New password').fill(newPassword);
  await stranger.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(stranger.getByRole('status')).toHaveText(/Your new password is saved/);
  await expect(accountMenu(stranger)).toBeVisible();

  // Both earlier sessions ended.
  for (const device of [page, otherDevice]) {
    await device.goto('/');
    await expect(accountMenu(device)).toHaveCount(0);
    await expect(device.getByRole('link', { name: 'Sign in' })).toBeVisible();
  }
  await otherDevice.goto('/login');
  await otherDevice.getByLabel('Email or username').fill(account.username);
  await otherDevice.getByLabel('Password').fill(account.password);
  await otherDevice.getByRole('button', { name: 'Sign in' }).click();
  await expect(otherDevice.getByRole('alert')).toHaveText(/do not match an account/);
  await signIn(otherDevice, { username: account.username, password: newPassword });

  // The link was used up: a page that says so, not an error.
  const again = await nobody.goto(link);
  expect(again?.status()).toBe(410);
  await expect(nobody.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
  // Nothing went to the address without an account.
  expect(
    smtp.received.filter((mail) => mail.envelopeTo.includes('no-such-person@example.com')),
  ).toEqual([]);
  await nobody.getByRole('link', { name: 'Send me a new link' }).click();
  await expect(nobody.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
});

test('an expired or unknown link gets a page that says what happened and what to do', async ({
  browser,
}) => {
  const page = await openContext(browser);
  const account = newAccount('late');
  await signUpOn(page, account);
  await signOut(page);
  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(account.email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  const link = await linkFromMail(account.email, 'reset-password');
  // An hour and more goes by.
  const db = database();
  try {
    db.prepare(
      "update account_tokens set expires_at = '2000-01-01T00:00:00.000Z' where purpose = 'password_reset' and used_at is null and email = ?",
    ).run(account.email);
  } finally {
    db.close();
  }
  const expired = await page.goto(link);
  expect(expired?.status()).toBe(410);
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  await expect(page.getByText('Links to reset a password work for 1 hour.')).toBeVisible();

  const unknown = await page.goto('/reset-password/this-is-not-a-real-link');
  expect(unknown?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'We do not recognise this link' })).toBeVisible();
  const claim = await page.goto(`/claim/${'x'.repeat(43)}`);
  expect(claim?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'We do not recognise this link' })).toBeVisible();
  const verify = await page.goto('/verify-email/%E0%A4%A');
  expect(verify?.status()).toBeLessThan(500);
});

test('an imported account is claimed, keeps its name and reputation, and signs in', async ({
  browser,
}) => {
  const page = await openContext(browser);
  const db = database();
  try {
    const insert = db.prepare(
      "insert into users (email, username, display_name, password_hash, reputation, created_at) values (?, ?, ?, null, ?, '2019-03-04T05:06:07.000Z')",
    );
    insert.run(
      '1234@users.cardano.stackexchange.com.invalid',
      'ada_lovelace',
      'Ada Lovelace',
      1815,
    );
    insert.run('grace@example.com', 'grace_h', 'Grace Hopper', 1906);
  } finally {
    db.close();
  }

  // The admin invites Ada to her imported account.
  await signIn(page, adminAccount);
  await page.goto('/admin/users');
  await page.getByText('Invite someone by email').click();
  await page.getByLabel('Their email address').fill('ada@example.com');
  await page.getByLabel('Existing account (username, optional)').fill('ada_lovelace');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Invitation sent to ada@example.com to claim ada_lovelace.',
  );

  const ada = await openContext(browser);
  await ada.goto(await linkFromMail('ada@example.com', 'claim'));
  await expect(ada.getByRole('heading', { name: 'Claim your account' })).toBeVisible();
  await expect(ada.getByText('Ada Lovelace')).toBeVisible();
  await expect(ada.getByText('1,815 reputation')).toBeVisible();
  await ada.getByLabel('New password').fill('analytical engine notes');
  await ada.getByRole('button', { name: 'Claim and sign in' }).click();
  await expect(ada.getByRole('status')).toHaveText(/Your account is yours/);
  await signOut(ada);
  await signIn(ada, { username: 'ada_lovelace', password: 'analytical engine notes' });
  await ada.goto('/users/ada_lovelace');
  await expect(ada.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  await expect(ada.getByText('1,815')).toBeVisible();

  // Grace finds her account herself, from the sign-in page.
  const grace = await openContext(browser);
  await grace.goto('/login');
  await grace.getByRole('link', { name: 'Claim your account' }).click();
  await expect(grace.getByRole('heading', { name: 'Claim your account' })).toBeVisible();
  await grace.getByLabel('Email', { exact: true }).fill('grace@example.com');
  await grace.getByRole('button', { name: 'Send me a link' }).click();
  await expect(grace.getByRole('status')).toContainText('a link is on its way');
  await grace.goto(await linkFromMail('grace@example.com', 'claim'));
  await grace.getByLabel('New password').fill('compilers all the way down');
  await grace.getByRole('button', { name: 'Claim and sign in' }).click();
  await expect(accountMenu(grace)).toBeVisible();
  // Claiming proved the address: no banner asks to confirm it.
  await expect(grace.getByRole('region', { name: 'Confirm your email address' })).toHaveCount(0);
});

test('a new account sees a banner until it confirms its address from the mailed link', async ({
  browser,
}) => {
  const page = await openContext(browser);
  const account = newAccount('confirming');
  await signUpOn(page, account);
  const banner = page.getByRole('region', { name: 'Confirm your email address' });
  await expect(banner).toContainText(account.email);
  await banner.getByRole('button', { name: 'Send the link again' }).click();
  await expect(banner.getByRole('status')).toHaveText(/We sent a new link/);

  await page.goto(await linkFromMail(account.email, 'verify-email'));
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('heading', { name: 'Your address is confirmed' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Confirm your email address' })).toHaveCount(0);
});

test('changing the address confirms the new one first', async ({ browser }) => {
  const page = await openContext(browser);
  const account = newAccount('mover');
  await signUpOn(page, account);
  await page.goto('/settings/account');
  const newEmail = `moved-${account.username}@example.com`;
  await page.getByLabel('New email address').fill(newEmail);
  await page.getByLabel('Current password').fill(account.password);
  await page.getByRole('button', { name: 'Send a confirmation link' }).click();
  await expect(page.getByRole('status')).toContainText(`We sent a link to ${newEmail}`);
  await expect(page.getByText(`Waiting for you to confirm ${newEmail}`)).toBeVisible();

  await page.goto(await linkFromMail(newEmail, 'verify-email'));
  await page.getByRole('button', { name: 'Use this address' }).click();
  await expect(page.getByRole('heading', { name: 'Your address is changed' })).toBeVisible();
  await page.goto('/settings/account');
  await expect(page.getByText(newEmail, { exact: true })).toBeVisible();
  await expect(page.getByText(/^confirmed /)).toBeVisible();
});
