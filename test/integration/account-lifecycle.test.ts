import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import SQLite from 'better-sqlite3';
import { openDatabase } from '#db/client';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrateToLatest } from '#db/migrate';
import { migrations } from '#db/migrations/index';
import type { DB } from '#db/schema';
import { getUser } from '~/auth/session.server';
import { signIn } from '~/auth/sign-in.server';
import { maxAccountMailsPerAddress, maxAccountMailsPerClient } from '~/models/account-mail.server';
import { hashToken } from '~/models/account-tokens.server';
import { requestPasswordHelp, setPasswordWithLink } from '~/models/account-recovery.server';
import { confirmAddress, requestEmailChange } from '~/models/email-addresses.server';
import { loader as rootLoader } from '~/root';
import { action as adminUsersAction } from '~/routes/admin.users';
import * as claimRoute from '~/routes/claim.$token';
import { action as forgotPasswordAction } from '~/routes/forgot-password';
import * as resetRoute from '~/routes/reset-password.$token';
import { action as settingsAction } from '~/routes/settings.account';
import { action as signupAction } from '~/routes/signup';
import * as verifyRoute from '~/routes/verify-email.$token';
import { getDb } from '~/utils/db.server';
import { makeQuestion, makeUser } from '../support/community';
import {
  callRoute,
  formFailureOf,
  formReplyOf,
  formRequest,
  getAs,
  locationOf,
  postAs,
  sessionCookieFor,
  settle,
  statusOf,
} from '../support/requests';

const password = 'correct horse battery';
const newPassword = 'a brand new passphrase';
const hour = 3_600_000;

/** The last mail queued to an address, with the token of the link it carries. */
async function lastMailTo(address: string) {
  const mail = await getDb()
    .selectFrom('mail_outbox')
    .select(['kind', 'subject', 'text_body', 'html_body', 'to_address', 'unsubscribe_kind'])
    .where('to_address', '=', address)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!mail) return null;
  const link = /\/(reset-password|claim|verify-email)\/([A-Za-z0-9_-]{43})/.exec(mail.text_body);
  return { ...mail, page: link?.[1] ?? null, token: link?.[2] ?? '' };
}

async function mailCount(address: string) {
  const row = await getDb()
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', address)
    .executeTakeFirstOrThrow();
  return row.n;
}

async function userRow(id: number) {
  return getDb()
    .selectFrom('users')
    .select(['email', 'email_verified_at', 'password_hash', 'reputation', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function withAddress(clientAddress: string) {
  return { cspNonce: '', clientAddress };
}

/** An account as an importer leaves it: a name, reputation, no password, no confirmed address. */
async function importedAccount(email: string, username: string, reputation = 321) {
  return getDb()
    .insertInto('users')
    .values({
      email,
      username,
      display_name: `${username} (imported)`,
      password_hash: null,
      reputation,
      organization_id: null,
      created_at: '2020-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

let clientSequence = 0;
/** A network address of its own, so the per-address mail limit of one test is not another's. */
function freshClient() {
  clientSequence += 1;
  return `192.0.2.${clientSequence}`;
}

async function userEmail(id: number) {
  return (await userRow(id)).email;
}

describe('forgot password', () => {
  test('an account gets a single-use reset link whose token is stored only as a hash; an unknown address gets the same answer and no mail', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const known = await callRoute(
      forgotPasswordAction,
      formRequest('/forgot-password', { email: email.toUpperCase() }),
    );
    const unknown = await callRoute(
      forgotPasswordAction,
      formRequest('/forgot-password', { email: 'nobody-here@example.com' }),
    );
    expect(statusOf(known)).toBe(200);
    expect(statusOf(unknown)).toBe(200);
    // The page says the same thing, naming only what was typed.
    expect(JSON.stringify(known).replace(email, 'X')).toBe(
      JSON.stringify(unknown).replace('nobody-here@example.com', 'X'),
    );
    expect(await mailCount('nobody-here@example.com')).toBe(0);

    const mail = await lastMailTo(email);
    expect(mail).toMatchObject({ kind: 'password_reset', page: 'reset-password' });
    expect(mail?.unsubscribe_kind).toBeNull();
    const stored = await getDb()
      .selectFrom('account_tokens')
      .select(['token_hash', 'purpose', 'expires_at', 'created_at'])
      .where('token_hash', '=', hashToken(mail!.token))
      .executeTakeFirstOrThrow();
    expect(stored.purpose).toBe('password_reset');
    expect(new Date(stored.expires_at).getTime() - new Date(stored.created_at).getTime()).toBe(
      hour,
    );
    const everyColumn = await getDb().selectFrom('account_tokens').selectAll().execute();
    expect(JSON.stringify(everyColumn)).not.toContain(mail!.token);
  });

  test('a new password from the link ends every session, signs the person in afresh, and the link cannot be used again', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const oldSession = await sessionCookieFor(user.id);
    const otherDevice = await sessionCookieFor(user.id);
    await requestPasswordHelp(getDb(), { email, clientAddress: freshClient() });
    const { token } = (await lastMailTo(email))!;

    const page = await getAs(resetRoute.loader, `/reset-password/${token}`, null, { token });
    expect(statusOf(page)).toBe(200);
    const done = await callRoute(
      resetRoute.action,
      formRequest(`/reset-password/${token}`, { password: newPassword }),
      { token },
    );
    expect(statusOf(done)).toBe(302);
    expect(locationOf(done)).toBe('/settings/account?done=password');
    const freshCookie = (done as Response).headers.get('Set-Cookie')!.split(';')[0]!;

    for (const cookie of [oldSession, otherDevice]) {
      const request = new Request('http://localhost/', { headers: { Cookie: cookie } });
      expect(await getUser(request)).toBeNull();
    }
    const fresh = new Request('http://localhost/', { headers: { Cookie: freshCookie } });
    expect(await getUser(fresh)).toMatchObject({ id: user.id });

    const db = getDb();
    const login = { login: user.username, password };
    expect(await signIn(db, login, freshClient())).toMatchObject({ ok: false, status: 401 });
    expect(
      await signIn(db, { login: user.username, password: newPassword }, freshClient()),
    ).toMatchObject({ ok: true });

    const again = await callRoute(
      resetRoute.action,
      formRequest(`/reset-password/${token}`, { password: 'yet another passphrase' }),
      { token },
    );
    expect(statusOf(again)).toBe(410);
    expect(again).toMatchObject({ data: { problem: 'used' } });
    const reopened = await getAs(resetRoute.loader, `/reset-password/${token}`, null, { token });
    expect(statusOf(reopened)).toBe(410);
  });

  test('a reset link works for one hour and not a minute longer', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const sentAt = new Date('2026-12-05T10:00:00.000Z');
    await requestPasswordHelp(getDb(), { email, clientAddress: freshClient() }, sentAt);
    const { token } = (await lastMailTo(email))!;
    const late = new Date(sentAt.getTime() + hour + 60_000);
    expect(
      await setPasswordWithLink(getDb(), 'password_reset', { token, password: newPassword }, late),
    ).toEqual({ ok: false, state: 'expired' });
    const inTime = new Date(sentAt.getTime() + hour - 60_000);
    expect(
      await setPasswordWithLink(
        getDb(),
        'password_reset',
        { token, password: newPassword },
        inTime,
      ),
    ).toEqual({ ok: true, userId: user.id });
  });

  test('an expired, used, replaced or made-up link gets a page that says so (410 or 400), never a 500', async () => {
    const late = await makeUser();
    const lateEmail = await userEmail(late.id);
    await requestPasswordHelp(
      getDb(),
      { email: lateEmail, clientAddress: freshClient() },
      new Date(Date.now() - 2 * hour),
    );
    const expired = (await lastMailTo(lateEmail))!.token;
    const user = await makeUser();
    const email = await userEmail(user.id);
    await requestPasswordHelp(getDb(), { email, clientAddress: freshClient() });
    const current = (await lastMailTo(email))!.token;
    await requestPasswordHelp(getDb(), { email, clientAddress: freshClient() });
    const newest = (await lastMailTo(email))!.token;

    const cases: [string, number, string][] = [
      [expired, 410, 'expired'],
      [current, 400, 'unknown'], // replaced by the newest link
      ['not-a-token', 400, 'unknown'],
      ['A'.repeat(43), 400, 'unknown'],
      ['%00<script>', 400, 'unknown'],
    ];
    for (const [token, status, problem] of cases) {
      const page = await getAs(resetRoute.loader, `/reset-password/x`, null, { token });
      expect(statusOf(page), token).toBe(status);
      expect(page).toMatchObject({ data: { problem } });
      const posted = await callRoute(
        resetRoute.action,
        formRequest('/reset-password/x', { password: newPassword }),
        { token },
      );
      expect(statusOf(posted), token).toBe(status);
    }
    expect(statusOf(await getAs(resetRoute.loader, '/reset-password/x', null, {}))).toBe(400);
    // The newest link still works.
    const page = await getAs(resetRoute.loader, '/reset-password/x', null, { token: newest });
    expect(statusOf(page)).toBe(200);
  });

  test('the new password follows the sign-up rules, and a rejected one leaves the link usable', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    await requestPasswordHelp(getDb(), { email, clientAddress: freshClient() });
    const { token } = (await lastMailTo(email))!;
    const short = await callRoute(resetRoute.action, formRequest('/x', { password: 'short' }), {
      token,
    });
    expect(formFailureOf(short).fieldErrors.password).toBe('Use at least 10 characters.');
    const likeName = await callRoute(
      resetRoute.action,
      formRequest('/x', { password: `${user.username}-2026!` }),
      { token },
    );
    expect(formFailureOf(likeName).fieldErrors.password).toMatch(/does not contain your username/);
    const page = await getAs(resetRoute.loader, '/x', null, { token });
    expect(statusOf(page)).toBe(200);
  });
});

describe('claiming an imported account', () => {
  test('"forgot password" on an imported address sends a claim link; claiming sets a password, confirms the address and keeps name, reputation and posts', async () => {
    const imported = await importedAccount('old-timer@example.com', 'old_timer', 321);
    const threadId = await makeQuestion({ id: imported.id, role: 'member' });
    const sent = await callRoute(
      forgotPasswordAction,
      formRequest('/forgot-password', { email: 'old-timer@example.com' }),
    );
    expect(statusOf(sent)).toBe(200);
    const mail = (await lastMailTo('old-timer@example.com'))!;
    expect(mail).toMatchObject({ kind: 'account_claim', page: 'claim' });
    expect(mail.text_body).toContain('old_timer');

    const page = await getAs(claimRoute.loader, '/claim/x', null, { token: mail.token });
    expect(page).toMatchObject({
      account: { username: 'old_timer', displayName: 'old_timer (imported)', reputation: 321 },
    });
    const claimed = await callRoute(
      claimRoute.action,
      formRequest('/claim/x', { password: newPassword }),
      { token: mail.token },
    );
    expect(statusOf(claimed)).toBe(302);
    const after = await userRow(imported.id);
    expect(after).toMatchObject({ reputation: 321, display_name: 'old_timer (imported)' });
    expect(after.email_verified_at).not.toBeNull();
    const thread = await getDb()
      .selectFrom('threads')
      .select('author_id')
      .where('id', '=', threadId)
      .executeTakeFirstOrThrow();
    expect(thread.author_id).toBe(imported.id);
    expect(
      await signIn(getDb(), { login: 'old_timer', password: newPassword }, freshClient()),
    ).toEqual({ ok: true, userId: imported.id });
    // Used up.
    const again = await getAs(claimRoute.loader, '/claim/x', null, { token: mail.token });
    expect(statusOf(again)).toBe(410);
  });

  test('a claim link expires after 7 days', async () => {
    await importedAccount('slow-reader@example.com', 'slow_reader');
    const sentAt = new Date('2026-12-01T00:00:00.000Z');
    await requestPasswordHelp(
      getDb(),
      { email: 'slow-reader@example.com', clientAddress: freshClient() },
      sentAt,
    );
    const { token } = (await lastMailTo('slow-reader@example.com'))!;
    const eightDays = new Date(sentAt.getTime() + 8 * 24 * hour);
    expect(
      await setPasswordWithLink(
        getDb(),
        'account_claim',
        { token, password: newPassword },
        eightDays,
      ),
    ).toEqual({ ok: false, state: 'expired' });
  });

  test('an admin invites by email: an imported account named by username gets the address and a claim link; a new address gets a new account; an account with a password is refused', async () => {
    const admin = await makeUser('admin');
    const member = await makeUser();
    const imported = await importedAccount('12@users.example.invalid', 'se_user_12', 77);

    const invited = await postAs(adminUsersAction, '/admin/users', admin.id, {
      intent: 'invite',
      email: 'Real.Person@Example.com',
      username: 'se_user_12',
    });
    expect(formReplyOf(invited)).toMatchObject({ notice: expect.stringContaining('se_user_12') });
    expect(await userRow(imported.id)).toMatchObject({
      email: 'real.person@example.com',
      email_verified_at: null,
      reputation: 77,
    });
    const mail = (await lastMailTo('real.person@example.com'))!;
    expect(mail.kind).toBe('account_claim');
    expect(mail.subject).toMatch(/invited/);
    expect(
      await setPasswordWithLink(getDb(), 'account_claim', {
        token: mail.token,
        password: newPassword,
      }),
    ).toEqual({ ok: true, userId: imported.id });

    const fresh = await postAs(adminUsersAction, '/admin/users', admin.id, {
      intent: 'invite',
      email: 'newcomer@example.com',
      username: '',
    });
    expect(formReplyOf(fresh)).toMatchObject({ notice: expect.stringContaining('a new account') });
    const created = await getDb()
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('email', '=', 'newcomer@example.com')
      .executeTakeFirstOrThrow();
    expect(created.password_hash).toBeNull();
    expect((await lastMailTo('newcomer@example.com'))?.kind).toBe('account_claim');

    const memberEmail = await userEmail(member.id);
    const refused = await postAs(adminUsersAction, '/admin/users', admin.id, {
      intent: 'invite',
      email: memberEmail,
      username: '',
    });
    expect(statusOf(refused)).toBe(400);
    expect(await mailCount(memberEmail)).toBe(0);

    const log = await getDb()
      .selectFrom('moderation_log')
      .select('target_user_id')
      .where('action', '=', 'invite')
      .execute();
    expect(log.map((row) => row.target_user_id)).toEqual(
      expect.arrayContaining([imported.id, created.id]),
    );
  });

  test('only admins invite', async () => {
    const member = await makeUser('moderator');
    const result = await postAs(adminUsersAction, '/admin/users', member.id, {
      intent: 'invite',
      email: 'someone@example.com',
    });
    expect(statusOf(result)).toBe(403);
    expect(await mailCount('someone@example.com')).toBe(0);
  });
});

describe('email verification', () => {
  test('sign-up sends a confirmation link; until it is used the banner shows, afterwards the address is confirmed', async () => {
    const signedUp = await callRoute(
      signupAction,
      formRequest('/signup', {
        email: 'fresh-member@example.com',
        username: 'fresh_member',
        password,
      }),
    );
    expect(statusOf(signedUp)).toBe(302);
    const user = await getDb()
      .selectFrom('users')
      .select(['id', 'email_verified_at'])
      .where('username', '=', 'fresh_member')
      .executeTakeFirstOrThrow();
    expect(user.email_verified_at).toBeNull();
    const root = async () => {
      const result = await getAs(rootLoader, '/', user.id);
      if (!(typeof result === 'object' && result && 'data' in result)) throw new Error('no data');
      return result.data;
    };
    expect(await root()).toMatchObject({ user: { unverifiedEmail: 'fresh-member@example.com' } });

    const mail = (await lastMailTo('fresh-member@example.com'))!;
    expect(mail).toMatchObject({ kind: 'verify_email', page: 'verify-email' });
    // Opening the link does not use it (mail scanners open links); the button does.
    const opened = await getAs(verifyRoute.loader, '/verify-email/x', null, { token: mail.token });
    expect(opened).toMatchObject({ email: 'fresh-member@example.com', change: false });
    expect((await userRow(user.id)).email_verified_at).toBeNull();
    const confirmed = await callRoute(verifyRoute.action, formRequest('/verify-email/x', {}), {
      token: mail.token,
    });
    expect(confirmed).toMatchObject({ confirmed: 'fresh-member@example.com' });
    expect((await userRow(user.id)).email_verified_at).not.toBeNull();
    expect(await root()).toMatchObject({ user: { unverifiedEmail: null } });

    const twice = await callRoute(verifyRoute.action, formRequest('/verify-email/x', {}), {
      token: mail.token,
    });
    expect(statusOf(twice)).toBe(410);
  });

  test('"send the link again" replaces the old link, and is limited per address', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const resend = () =>
      postAs(settingsAction, '/settings/account', user.id, { intent: 'resend-verification' });
    expect(await resend()).toMatchObject({ data: { notice: expect.stringContaining(email) } });
    const first = (await lastMailTo(email))!.token;
    expect(await resend()).toMatchObject({ data: { notice: expect.stringContaining(email) } });
    const second = (await lastMailTo(email))!.token;
    expect(first).not.toBe(second);
    const old = await getAs(verifyRoute.loader, '/x', null, { token: first });
    expect(statusOf(old)).toBe(400);
    for (let mail = 3; mail <= maxAccountMailsPerAddress; mail++) await resend();
    const refused = await resend();
    expect(statusOf(refused)).toBe(429);
    expect(await mailCount(email)).toBe(maxAccountMailsPerAddress);
  });

  test('a confirmation link expires after 48 hours', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const sentAt = new Date('2026-12-01T00:00:00.000Z');
    const { sendVerificationMail } = await import('~/models/email-addresses.server');
    await sendVerificationMail(getDb(), { userId: user.id, clientAddress: freshClient() }, sentAt);
    const { token } = (await lastMailTo(email))!;
    expect(await confirmAddress(getDb(), token, new Date(sentAt.getTime() + 49 * hour))).toEqual({
      ok: false,
      state: 'expired',
    });
    expect(
      await confirmAddress(getDb(), token, new Date(sentAt.getTime() + 47 * hour)),
    ).toMatchObject({ ok: true, purpose: 'verify_email' });
  });
});

describe('changing the email address', () => {
  test('the new address is confirmed first, then the account moves to it and the old address is told', async () => {
    const user = await makeUser();
    const oldEmail = await userEmail(user.id);
    const wrong = await postAs(settingsAction, '/settings/account', user.id, {
      intent: 'change-email',
      email: 'moved@example.com',
      currentPassword: 'not my password',
    });
    expect(formFailureOf(wrong).fieldErrors.currentPassword).toBe(
      'That is not your current password.',
    );
    expect(await mailCount('moved@example.com')).toBe(0);

    const asked = await postAs(settingsAction, '/settings/account', user.id, {
      intent: 'change-email',
      email: 'Moved@Example.com',
      currentPassword: password,
    });
    expect(asked).toMatchObject({ data: { notice: expect.stringContaining('moved@example.com') } });
    expect(await userEmail(user.id)).toBe(oldEmail);
    const mail = (await lastMailTo('moved@example.com'))!;
    expect(mail).toMatchObject({ kind: 'email_change', page: 'verify-email' });

    const page = await getAs(verifyRoute.loader, '/x', null, { token: mail.token });
    expect(page).toMatchObject({ email: 'moved@example.com', change: true });
    const done = await callRoute(verifyRoute.action, formRequest('/x', {}), {
      token: mail.token,
    });
    expect(done).toMatchObject({ confirmed: 'moved@example.com' });
    const after = await userRow(user.id);
    expect(after.email).toBe('moved@example.com');
    expect(after.email_verified_at).not.toBeNull();
    const notice = (await lastMailTo(oldEmail))!;
    expect(notice.kind).toBe('email_change');
    expect(notice.text_body).toContain('moved@example.com');
    expect(
      await signIn(getDb(), { login: 'moved@example.com', password }, freshClient()),
    ).toMatchObject({ ok: true });
  });

  test('an address another account uses is refused, and one taken before the link is used leaves the account as it was', async () => {
    const user = await makeUser();
    const other = await makeUser();
    const otherEmail = await userEmail(other.id);
    const clash = await requestEmailChange(getDb(), {
      userId: user.id,
      email: otherEmail,
      currentPassword: password,
      clientAddress: freshClient(),
    });
    expect(clash).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String) } });

    await requestEmailChange(getDb(), {
      userId: user.id,
      email: 'contested@example.com',
      currentPassword: password,
      clientAddress: freshClient(),
    });
    const { token } = (await lastMailTo('contested@example.com'))!;
    await getDb()
      .updateTable('users')
      .set({ email: 'contested@example.com' })
      .where('id', '=', other.id)
      .execute();
    expect(await confirmAddress(getDb(), token)).toEqual({ ok: false, state: 'taken' });
    expect(await userEmail(user.id)).not.toBe('contested@example.com');
    const page = await callRoute(verifyRoute.action, formRequest('/x', {}), { token });
    expect(statusOf(page)).toBe(410);
  });

  test('a confirmation link for an address the account no longer uses is stale', async () => {
    const user = await makeUser();
    const { sendVerificationMail } = await import('~/models/email-addresses.server');
    await sendVerificationMail(getDb(), { userId: user.id, clientAddress: freshClient() });
    const { token } = (await lastMailTo(await userEmail(user.id)))!;
    await getDb()
      .updateTable('users')
      .set({ email: `elsewhere-${user.id}@example.com` })
      .where('id', '=', user.id)
      .execute();
    expect(await confirmAddress(getDb(), token)).toEqual({ ok: false, state: 'stale' });
    expect((await userRow(user.id)).email_verified_at).toBeNull();
  });
});

describe('account mail limits', () => {
  test(`one address gets at most ${maxAccountMailsPerAddress} account mails an hour, whoever asks, with the same answer whether or not it has an account`, async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const start = new Date('2026-12-05T12:00:00.000Z');
    for (const address of [email, 'no-account-here@example.com']) {
      for (let ask = 1; ask <= maxAccountMailsPerAddress; ask++) {
        expect(
          await requestPasswordHelp(
            getDb(),
            { email: address, clientAddress: freshClient() },
            start,
          ),
        ).toEqual({ ok: true });
      }
      const refused = await requestPasswordHelp(
        getDb(),
        { email: address, clientAddress: freshClient() },
        start,
      );
      expect(refused).toEqual({
        ok: false,
        message: expect.stringMatching(/Try again in 60 minutes/),
      });
    }
    expect(await mailCount(email)).toBe(maxAccountMailsPerAddress);
    // An hour later the address gets mail again.
    const later = new Date(start.getTime() + hour);
    expect(
      await requestPasswordHelp(getDb(), { email, clientAddress: freshClient() }, later),
    ).toEqual({ ok: true });
    expect(await mailCount(email)).toBe(maxAccountMailsPerAddress + 1);
  });

  test(`one network address asks for at most ${maxAccountMailsPerClient} account mails an hour, and another server process sees the same count`, async () => {
    const client = freshClient();
    for (let ask = 1; ask <= maxAccountMailsPerClient; ask++) {
      expect(
        await requestPasswordHelp(getDb(), {
          email: `sprayed-${ask}@example.com`,
          clientAddress: client,
        }),
      ).toEqual({ ok: true });
    }
    const refused = await callRoute(
      async ({ request }) =>
        forgotPasswordAction({ request, params: {}, context: withAddress(client) }),
      formRequest('/forgot-password', { email: 'one-more@example.com' }),
    );
    expect(statusOf(refused)).toBe(429);
    expect(formFailureOf(refused)).toMatchObject({ values: { email: 'one-more@example.com' } });
    // A second connection to the same file, as a restarted or second app server has: the limiter
    // lives in the database, not in this process.
    const otherServer = openDatabase(process.env.DATABASE_URL!);
    try {
      expect(
        await requestPasswordHelp(otherServer, {
          email: 'one-more@example.com',
          clientAddress: client,
        }),
      ).toMatchObject({ ok: false });
    } finally {
      await otherServer.destroy();
    }
    expect(await mailCount('one-more@example.com')).toBe(0);
    expect(
      await requestPasswordHelp(getDb(), {
        email: 'one-more@example.com',
        clientAddress: freshClient(),
      }),
    ).toEqual({ ok: true });
  });

  test('parallel requests for one address send at most the limit', async () => {
    const user = await makeUser();
    const email = await userEmail(user.id);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        requestPasswordHelp(getDb(), { email, clientAddress: freshClient() }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(maxAccountMailsPerAddress);
    expect(await mailCount(email)).toBe(maxAccountMailsPerAddress);
  });
});

describe('the migration', () => {
  test('accounts with a password count as confirmed from their sign-up; accounts without one stay unconfirmed', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.COMMONS_TEST_DIR!, 'migration-'));
    // The tables this test reads, as they are before and after the migration.
    const db = new Kysely<
      Pick<DB, 'users' | 'rate_limit_counters'> & {
        sign_in_attempts: { key: string; attempts: number; window_started_at: string };
      }
    >({ dialect: new SqliteDialect({ database: new SQLite(path.join(dir, 'before.db')) }) });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('2026_12_05_0900_hardening');
      expect(error).toBeUndefined();
      await db
        .insertInto('users')
        .values([
          {
            email: 'signed-up@example.com',
            username: 'signed_up',
            display_name: 'signed_up',
            password_hash: '$argon2id$stand-in',
            created_at: '2026-01-02T03:04:05.000Z',
          },
          {
            email: '9@users.example.invalid',
            username: 'imported_9',
            display_name: 'imported_9',
            password_hash: null,
            created_at: '2026-01-02T03:04:05.000Z',
          },
        ])
        .execute();
      await db
        .insertInto('sign_in_attempts')
        .values({
          key: 'account:user:1@ip:10.0.0.1',
          attempts: 4,
          window_started_at: '2026-12-05T10:00:00.000Z',
        })
        .execute();
      await migrateToLatest(db);
      const users = await db
        .selectFrom('users')
        .select(['username', 'email_verified_at'])
        .orderBy('username')
        .execute();
      expect(users).toEqual([
        { username: 'imported_9', email_verified_at: null },
        { username: 'signed_up', email_verified_at: '2026-01-02T03:04:05.000Z' },
      ]);
      const counters = await db.selectFrom('rate_limit_counters').selectAll().execute();
      expect(counters).toEqual([
        {
          key: 'sign-in:account:user:1@ip:10.0.0.1',
          count: 4,
          window_ends_at: '2026-12-05T10:15:00.000Z',
        },
      ]);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('guards', () => {
  test('account settings need a signed-in person', async () => {
    const result = await settle(() =>
      settingsAction({
        request: formRequest('/settings/account', { intent: 'resend-verification' }),
        params: {},
        context: withAddress('127.0.0.1'),
      }),
    );
    expect(statusOf(result)).toBe(302);
    expect(locationOf(result)).toMatch(/^\/login\?redirectTo=/);
  });
});

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

describe.skipIf(naughtyStrings.length === 0)(
  'account forms survive the Big List of Naughty Strings',
  () => {
    /** A network address per submission, so the per-client mail limit does not hide a path. */
    function clientFor(index: number) {
      return withAddress(`10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`);
    }

    async function expectNoHeaderInjection() {
      const mails = await getDb()
        .selectFrom('mail_outbox')
        .select(['to_address', 'to_name', 'subject'])
        .execute();
      for (const mail of mails) {
        for (const value of [mail.to_address, mail.to_name ?? '', mail.subject]) {
          // eslint-disable-next-line no-control-regex -- control characters are what is looked for
          expect(value, JSON.stringify(mail)).not.toMatch(/[\r\n\u0000]/);
        }
      }
    }

    test('"forgot password" and "claim" take any text as the address: a field error or the same answer, never a server error', async () => {
      const outcomes = { answered: 0, rejected: 0 };
      await importedAccount('naughty-claim@example.com', 'naughty_claim');
      for (const [index, naughty] of naughtyStrings.entries()) {
        for (const email of [
          naughty,
          `${naughty}@example.com`,
          `naughty-claim@example.com${naughty}`,
        ]) {
          const result = await settle(() =>
            forgotPasswordAction({
              request: formRequest('/forgot-password', { email }),
              params: {},
              context: clientFor(index),
            }),
          );
          const status = statusOf(result);
          expect([200, 400], `email = ${JSON.stringify(email)}`).toContain(status);
          if (status === 200) outcomes.answered++;
          else outcomes.rejected++;
        }
      }
      expect(outcomes.answered).toBeGreaterThan(10);
      expect(outcomes.rejected).toBeGreaterThan(500);
      await expectNoHeaderInjection();
    });

    test('an admin invitation takes any text as address and account name: a field error or an invitation, never a server error', async () => {
      const admin = await makeUser('admin');
      const cookie = await sessionCookieFor(admin.id);
      const outcomes = { invited: 0, rejected: 0 };
      for (const [index, naughty] of naughtyStrings.entries()) {
        for (const fields of [
          { email: naughty, username: '' },
          { email: `invite${index}@example.com`, username: naughty },
          { email: `${naughty.slice(0, 40)}@example.com`, username: '' },
        ]) {
          const result = await settle(() =>
            adminUsersAction({
              request: formRequest(
                '/admin/users',
                { intent: 'invite', ...fields },
                { Cookie: cookie },
              ),
              params: {},
              context: clientFor(index),
            }),
          );
          const status = statusOf(result);
          expect([200, 400], JSON.stringify(fields)).toContain(status);
          if (status === 200) outcomes.invited++;
          else outcomes.rejected++;
        }
      }
      expect(outcomes.invited).toBeGreaterThan(10);
      expect(outcomes.rejected).toBeGreaterThan(500);
      await expectNoHeaderInjection();
    });

    test('an address change takes any text as the new address: a field error or a confirmation link, never a server error', async () => {
      const user = await makeUser();
      const cookie = await sessionCookieFor(user.id);
      const outcomes = { sent: 0, rejected: 0 };
      for (const [index, naughty] of naughtyStrings.entries()) {
        for (const email of [naughty, `${naughty.slice(0, 40)}@moving.example`]) {
          const result = await settle(() =>
            settingsAction({
              request: formRequest(
                '/settings/account',
                { intent: 'change-email', email, currentPassword: password },
                { Cookie: cookie },
              ),
              params: {},
              context: clientFor(index),
            }),
          );
          const status = statusOf(result);
          expect([200, 400], `email = ${JSON.stringify(email)}`).toContain(status);
          if (status === 200) outcomes.sent++;
          else outcomes.rejected++;
        }
      }
      expect(outcomes.sent).toBeGreaterThan(10);
      expect(outcomes.rejected).toBeGreaterThan(500);
      await expectNoHeaderInjection();
    });
  },
);
