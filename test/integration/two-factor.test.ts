import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { issueAccountToken } from '~/models/account-tokens.server';
import { maxAttemptsPerAccountAndAddress } from '~/models/sign-in-limits.server';
import * as adminUsers from '~/routes/admin.users';
import { loader as agentArticlesLoader } from '~/routes/agent.articles._index';
import { action as loginAction } from '~/routes/login';
import * as codeStep from '~/routes/login_.two-factor';
import { action as resetPasswordAction } from '~/routes/reset-password.$token';
import { loader as accountLoader } from '~/routes/settings.account';
import * as settings from '~/routes/settings.two-factor';
import { getDb } from '~/utils/db.server';
import { base32Decode, hotp, timeStep } from '~/utils/totp.server';
import { makeUser } from '../support/community';
import {
  callRoute,
  formRequest,
  getAs,
  loaderData,
  locationOf,
  postAs,
  settle,
  statusOf,
} from '../support/requests';

const password = 'correct horse battery';
const browser = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

afterEach(() => {
  vi.useRealTimers();
});

/** The clock moves on by whole 30-second steps, so each sign-in can use a fresh code. */
function advanceSteps(steps: number) {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + steps * 30_000);
}

function codeFor(secret: string, stepOffset = 0) {
  return hotp(base32Decode(secret), timeStep(new Date()) + stepOffset);
}

/** The name=value pairs a response sets, by name. */
function cookiesSet(result: unknown): Record<string, string> {
  if (!(result instanceof Response)) return {};
  const cookies: Record<string, string> = {};
  for (const header of result.headers.getSetCookie()) {
    const [pair = ''] = header.split(';');
    const [name = '', ...value] = pair.split('=');
    cookies[name] = value.join('=');
  }
  return cookies;
}

function cookieHeader(cookies: Record<string, string>) {
  return Object.entries(cookies)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

const twoFactorReply = z.object({
  data: z.object({
    formError: z.string().nullable(),
    notice: z.string().nullable(),
    fieldErrors: z.record(z.string(), z.string()),
    values: z.record(z.string(), z.string()),
    recoveryCodes: z.array(z.string()).nullable().optional(),
  }),
});

/** What a form action answered (with the recovery codes the settings page shows once). */
function replyOf(result: unknown) {
  return twoFactorReply.parse(result).data;
}

async function loginWithPassword(
  username: string,
  options: { cookie?: string; address?: string; redirectTo?: string } = {},
) {
  const request = formRequest(
    '/login',
    { login: username, password, redirectTo: options.redirectTo ?? '/questions' },
    { 'User-Agent': browser, ...(options.cookie ? { Cookie: options.cookie } : {}) },
  );
  return settle(() =>
    loginAction({
      request,
      params: {},
      context: { cspNonce: '', clientAddress: options.address ?? '198.51.100.20' },
    }),
  );
}

async function submitCode(
  pendingCookie: string,
  fields: Record<string, string>,
  address = '198.51.100.20',
) {
  const request = formRequest('/login/two-factor', fields, {
    'User-Agent': browser,
    Cookie: pendingCookie,
  });
  return settle(() =>
    codeStep.action({ request, params: {}, context: { cspNonce: '', clientAddress: address } }),
  );
}

/** Turns two-factor on through the settings page; returns the secret and the recovery codes. */
async function enrol(userId: number) {
  expect(
    statusOf(await postAs(settings.action, '/settings/two-factor', userId, { intent: 'start' })),
  ).toBe(200);
  const page = await loaderData(settings.loader, '/settings/two-factor', userId);
  const secret = (page.enrolment?.setupKey ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const confirmed = replyOf(
    await postAs(settings.action, '/settings/two-factor', userId, {
      intent: 'confirm',
      code: codeFor(secret),
    }),
  );
  expect(confirmed.recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes: confirmed.recoveryCodes ?? [] };
}

/** Password, then the code step; returns the cookies the browser ends with. */
async function signInWithCode(username: string, code: string, extra: Record<string, string> = {}) {
  const first = await loginWithPassword(username);
  expect(locationOf(first)).toBe('/login/two-factor');
  const pending = cookiesSet(first);
  const second = await submitCode(cookieHeader(pending), { code, ...extra });
  return { result: second, cookies: { ...pending, ...cookiesSet(second) } };
}

async function signedIn(cookie: string): Promise<boolean> {
  const result = await callRoute(
    accountLoader,
    new Request('http://localhost/settings/account', { headers: { Cookie: cookie } }),
  );
  return !locationOf(result)?.startsWith('/login');
}

async function auditOf(userId: number) {
  return getDb()
    .selectFrom('moderation_log')
    .select(['actor_id', 'action', 'data'])
    .where('target_user_id', '=', userId)
    .orderBy('id')
    .execute();
}

describe('enrolment (/settings/two-factor)', () => {
  test('a code from the new secret turns two-factor on and shows ten recovery codes once; a wrong one does not', async () => {
    const user = await makeUser();
    await postAs(settings.action, '/settings/two-factor', user.id, { intent: 'start' });
    const page = await loaderData(settings.loader, '/settings/two-factor', user.id);
    expect(page.status.state).toBe('enrolling');
    expect(page.enrolment?.qrCode).toMatch(/^data:image\/png;base64,/);
    const secret = (page.enrolment?.setupKey ?? '').replace(/\s/g, '');
    const wrong = String((Number(codeFor(secret)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await postAs(settings.action, '/settings/two-factor', user.id, {
      intent: 'confirm',
      code: wrong,
    });
    expect(statusOf(refused)).toBe(400);
    expect(replyOf(refused).fieldErrors.code).toMatch(/does not match/);
    const confirmed = replyOf(
      await postAs(settings.action, '/settings/two-factor', user.id, {
        intent: 'confirm',
        code: codeFor(secret),
      }),
    );
    const codes = confirmed.recoveryCodes ?? [];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const after = await loaderData(settings.loader, '/settings/two-factor', user.id);
    expect(after.status).toMatchObject({ state: 'on', recoveryCodesLeft: 10 });
    expect(after.enrolment).toBeNull();
    expect(JSON.stringify(after)).not.toContain(codes[0]);
    // Stored as hashes; the audit log names the event and nothing secret.
    const stored = await getDb()
      .selectFrom('two_factor_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.id)
      .execute();
    expect(stored.map((row) => row.code_hash)).not.toContain(codes[0]);
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.code_hash))).toBe(true);
    const audit = await auditOf(user.id);
    expect(audit).toEqual([{ actor_id: user.id, action: 'two_factor_enabled', data: null }]);
  });
});

describe('signing in with two-factor', () => {
  test('a right password alone starts no session: the code step does, and goes where sign-in was headed', async () => {
    const user = await makeUser();
    const { secret } = await enrol(user.id);
    advanceSteps(1);
    const first = await loginWithPassword(user.username, { redirectTo: '/kb' });
    expect(statusOf(first)).toBe(302);
    expect(locationOf(first)).toBe('/login/two-factor');
    const pending = cookiesSet(first);
    expect(Object.keys(pending)).toEqual(['commons_two_factor']);
    expect(await signedIn(cookieHeader(pending))).toBe(false);
    const page = await callRoute(
      codeStep.loader,
      new Request('http://localhost/login/two-factor', {
        headers: { Cookie: cookieHeader(pending) },
      }),
    );
    expect(page).toEqual({ username: user.username });
    const second = await submitCode(cookieHeader(pending), { code: codeFor(secret) });
    expect(locationOf(second)).toBe('/kb');
    const cookies = cookiesSet(second);
    expect(cookies.commons_session).toBeTruthy();
    expect(cookies.commons_two_factor).toBe('');
    expect(cookies.commons_device).toBeUndefined();
    expect(await signedIn(`commons_session=${cookies.commons_session}`)).toBe(true);
    // The pending sign-in is used up.
    expect(statusOf(await submitCode(cookieHeader(pending), { code: codeFor(secret) }))).toBe(410);
  });

  test('the code step without a pending sign-in sends the visitor to the password step', async () => {
    const result = await callRoute(
      codeStep.loader,
      new Request('http://localhost/login/two-factor', {
        headers: { Cookie: 'commons_two_factor=made-up' },
      }),
    );
    expect(locationOf(result)).toBe('/login');
  });

  test('a code is used once: the same code again is refused', async () => {
    const user = await makeUser();
    const { secret } = await enrol(user.id);
    advanceSteps(1);
    const code = codeFor(secret);
    expect(locationOf((await signInWithCode(user.username, code)).result)).toBe('/questions');
    const again = await signInWithCode(user.username, code);
    expect(statusOf(again.result)).toBe(400);
    expect(replyOf(again.result).fieldErrors.code).toMatch(/used already/);
    expect(again.cookies.commons_session).toBeUndefined();
  });

  test('wrong codes count on the sign-in limits like wrong passwords: past the limit even the right code is refused', async () => {
    const user = await makeUser();
    const { secret } = await enrol(user.id);
    advanceSteps(1);
    const first = await loginWithPassword(user.username, { address: '198.51.100.30' });
    const pending = cookieHeader(cookiesSet(first));
    const right = codeFor(secret);
    const wrong = String((Number(right) + 7) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < maxAttemptsPerAccountAndAddress; attempt += 1) {
      const refused = await submitCode(pending, { code: wrong }, '198.51.100.30');
      expect(statusOf(refused)).toBe(400);
    }
    const paused = await submitCode(pending, { code: right }, '198.51.100.30');
    expect(statusOf(paused)).toBe(429);
    expect(replyOf(paused).formError).toMatch(/sign-in is paused: try again in 1[45] minutes/);
    // The password step is paused too: the counters are the same.
    const passwordStep = await loginWithPassword(user.username, { address: '198.51.100.30' });
    expect(statusOf(passwordStep)).toBe(429);
    // From another address the owner signs in as usual.
    expect(locationOf((await signInWithCode(user.username, right)).result)).toBe('/questions');
  });

  test('a recovery code signs in once; the second use is refused', async () => {
    const user = await makeUser();
    const { recoveryCodes } = await enrol(user.id);
    const [code = ''] = recoveryCodes;
    // Typed in capitals, without its dash: still the same code.
    const first = await signInWithCode(user.username, code.replace('-', ' ').toUpperCase());
    expect(locationOf(first.result)).toBe('/questions');
    const again = await signInWithCode(user.username, code);
    expect(statusOf(again.result)).toBe(400);
    const page = await loaderData(settings.loader, '/settings/two-factor', user.id);
    expect(page.status).toMatchObject({ state: 'on', recoveryCodesLeft: 9 });
    expect((await auditOf(user.id)).map((entry) => entry.action)).toEqual([
      'two_factor_enabled',
      'recovery_code_used',
    ]);
  });

  test('a remembered browser skips the code for 30 days; another browser does not', async () => {
    const user = await makeUser();
    const { secret } = await enrol(user.id);
    advanceSteps(1);
    const first = await signInWithCode(user.username, codeFor(secret), { remember: 'on' });
    const device = first.cookies.commons_device ?? '';
    expect(device).toMatch(/^[\w-]{43}$/);
    expect(locationOf(await loginWithPassword(user.username))).toBe('/login/two-factor');
    const remembered = await loginWithPassword(user.username, {
      cookie: `commons_device=${device}`,
    });
    expect(locationOf(remembered)).toBe('/questions');
    expect(cookiesSet(remembered).commons_session).toBeTruthy();
    // The token is stored as its hash only.
    const rows = await getDb()
      .selectFrom('two_factor_devices')
      .select('token_hash')
      .where('user_id', '=', user.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).not.toBe(device);
    // Someone else's remembered browser is not this person's.
    const other = await makeUser();
    await enrol(other.id);
    const borrowed = await loginWithPassword(other.username, {
      cookie: `commons_device=${device}`,
    });
    expect(locationOf(borrowed)).toBe('/login/two-factor');
    advanceSteps(31 * 2 * 60 * 24);
    const expired = await loginWithPassword(user.username, { cookie: `commons_device=${device}` });
    expect(locationOf(expired)).toBe('/login/two-factor');
  });

  test('a pending sign-in runs out after 10 minutes', async () => {
    const user = await makeUser();
    const { secret } = await enrol(user.id);
    const first = await loginWithPassword(user.username);
    advanceSteps(21);
    const late = await submitCode(cookieHeader(cookiesSet(first)), { code: codeFor(secret) });
    expect(statusOf(late)).toBe(410);
    expect(replyOf(late).formError).toMatch(/Sign in again/);
  });

  test('a password reset link still asks for the code before it signs in', async () => {
    const user = await makeUser();
    await enrol(user.id);
    const token = await issueAccountToken(getDb(), {
      purpose: 'password_reset',
      userId: user.id,
      email: `${user.username}@example.com`,
    });
    const result = await settle(() =>
      resetPasswordAction({
        request: formRequest(`/reset-password/${token}`, { password: 'a brand new passphrase' }),
        params: { token },
        context: { cspNonce: '', clientAddress: '198.51.100.21' },
      }),
    );
    expect(locationOf(result)).toBe('/login/two-factor');
    expect(cookiesSet(result).commons_session).toBeUndefined();
  });
});

describe('changing two-factor', () => {
  test('turning it off needs the password or a code, and forgets remembered browsers', async () => {
    const user = await makeUser();
    const { secret } = await enrol(user.id);
    advanceSteps(1);
    const { cookies } = await signInWithCode(user.username, codeFor(secret), { remember: 'on' });
    const post = (fields: Record<string, string>) =>
      postAs(settings.action, '/settings/two-factor', user.id, fields);
    const refused = await post({ intent: 'disable', proof: 'not my password at all' });
    expect(statusOf(refused)).toBe(400);
    expect(replyOf(refused).fieldErrors.proof).toMatch(/neither your password nor a current code/);
    expect(replyOf(refused).values).toEqual({});
    expect(statusOf(await post({ intent: 'disable', proof: password }))).toBe(200);
    const page = await loaderData(settings.loader, '/settings/two-factor', user.id);
    expect(page.status.state).toBe('off');
    const remembered = await loginWithPassword(user.username, {
      cookie: `commons_device=${cookies.commons_device}`,
    });
    expect(locationOf(remembered)).toBe('/questions');
    const left = await getDb()
      .selectFrom('two_factor_devices')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(left).toEqual([]);
    expect((await auditOf(user.id)).map((entry) => entry.action)).toEqual([
      'two_factor_enabled',
      'two_factor_disabled',
    ]);
  });

  test('new recovery codes replace the old ones, after a code from the app', async () => {
    const user = await makeUser();
    const { secret, recoveryCodes } = await enrol(user.id);
    advanceSteps(1);
    const made = replyOf(
      await postAs(settings.action, '/settings/two-factor', user.id, {
        intent: 'regenerate',
        proof: codeFor(secret),
      }),
    );
    expect(made.recoveryCodes).toHaveLength(10);
    expect(statusOf((await signInWithCode(user.username, recoveryCodes[0]!)).result)).toBe(400);
    const fresh = await signInWithCode(user.username, made.recoveryCodes![0]!);
    expect(locationOf(fresh.result)).toBe('/questions');
    expect((await auditOf(user.id)).map((entry) => entry.action)).toContain(
      'recovery_codes_regenerated',
    );
  });
});

describe('admins and staff', () => {
  test('an admin reset removes two-factor, forgets browsers, ends every session and is in the audit log', async () => {
    const admin = await makeUser('admin');
    const agent = await makeUser('agent');
    const { secret } = await enrol(agent.id);
    advanceSteps(1);
    const { cookies } = await signInWithCode(agent.username, codeFor(secret), { remember: 'on' });
    const session = `commons_session=${cookies.commons_session}`;
    expect(await signedIn(session)).toBe(true);
    const listed = await loaderData(
      adminUsers.loader,
      `/admin/users?q=${agent.username}`,
      admin.id,
    );
    expect(listed.users.find((user) => user.id === agent.id)?.two_factor).toBe(true);
    const reset = replyOf(
      await postAs(adminUsers.action, '/admin/users', admin.id, {
        intent: 'reset-two-factor',
        userId: String(agent.id),
      }),
    );
    expect(reset.notice).toMatch(`Two-factor of ${agent.username} is reset`);
    expect(await signedIn(session)).toBe(false);
    const sessionsLeft = await getDb()
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', agent.id)
      .execute();
    expect(sessionsLeft).toEqual([]);
    const next = await loginWithPassword(agent.username, {
      cookie: `commons_device=${cookies.commons_device}`,
    });
    expect(locationOf(next)).toBe('/questions');
    const logged = (await auditOf(agent.id)).find((entry) => entry.action === 'two_factor_reset');
    expect(logged?.actor_id).toBe(admin.id);
    expect(JSON.parse(logged?.data ?? '{}')).toEqual({ sessionsEnded: expect.any(Number) });
    const again = await postAs(adminUsers.action, '/admin/users', admin.id, {
      intent: 'reset-two-factor',
      userId: String(agent.id),
    });
    expect(replyOf(again).formError).toBe('That person has no two-factor to reset.');
  });

  test('only admins may reset two-factor: anyone else gets 403 and nothing changes', async () => {
    const member = await makeUser();
    await enrol(member.id);
    for (const role of ['member', 'agent', 'moderator'] as const) {
      const someone = await makeUser(role);
      const result = await postAs(adminUsers.action, '/admin/users', someone.id, {
        intent: 'reset-two-factor',
        userId: String(member.id),
      });
      expect(statusOf(result), role).toBe(403);
    }
    const page = await loaderData(settings.loader, '/settings/two-factor', member.id);
    expect(page.status.state).toBe('on');
  });

  test('when staff must use two-factor, staff without it are sent to set it up; members are not', async () => {
    const admin = await makeUser('admin');
    const agent = await makeUser('agent');
    const member = await makeUser();
    const requireOfStaff = (required: 'on' | 'off') =>
      postAs(adminUsers.action, '/admin/users', admin.id, {
        intent: 'staff-two-factor',
        required,
      });
    // An admin must have it before requiring it, or they lock themselves out of this page.
    const early = replyOf(await requireOfStaff('on'));
    expect(early.formError).toMatch(/your own account first/);
    await enrol(admin.id);
    expect(replyOf(await requireOfStaff('on')).notice).toMatch(/Staff must now use two-factor/);
    const staffPage = await getAs(agentArticlesLoader, '/agent/articles', agent.id);
    expect(locationOf(staffPage)).toBe('/settings/two-factor');
    const setup = await loaderData(settings.loader, '/settings/two-factor', agent.id);
    expect(setup.requiredOfYou).toBe(true);
    const memberSetup = await loaderData(settings.loader, '/settings/two-factor', member.id);
    expect(memberSetup.requiredOfYou).toBe(false);
    const login = await loginWithPassword(agent.username, { redirectTo: '/agent/tickets' });
    expect(locationOf(login)).toBe('/settings/two-factor');
    expect(cookiesSet(login).commons_session).toBeTruthy();
    expect(locationOf(await loginWithPassword(member.username))).toBe('/questions');
    await enrol(agent.id);
    expect(statusOf(await getAs(agentArticlesLoader, '/agent/articles', agent.id))).toBe(200);
    await requireOfStaff('off');
    const audit = await getDb()
      .selectFrom('moderation_log')
      .select(['action', 'data'])
      .where('actor_id', '=', admin.id)
      .where('action', '=', 'staff_two_factor')
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.data)).toEqual([
      JSON.stringify({ required: true }),
      JSON.stringify({ required: false }),
    ]);
  });
});

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

describe.skipIf(naughtyStrings.length === 0)(
  'two-factor forms survive the Big List of Naughty Strings',
  () => {
    test('the code step, the enrolment code and the password-or-code field: a field error, never a server error', async () => {
      const user = await makeUser();
      await postAs(settings.action, '/settings/two-factor', user.id, { intent: 'start' });
      const enrolling = await loaderData(settings.loader, '/settings/two-factor', user.id);
      expect(enrolling.status.state).toBe('enrolling');
      for (const naughty of naughtyStrings) {
        const result = await postAs(settings.action, '/settings/two-factor', user.id, {
          intent: 'confirm',
          code: naughty,
        });
        expect(statusOf(result), JSON.stringify(naughty)).toBe(400);
      }
      const { secret } = await enrol(user.id);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const first = await loginWithPassword(user.username);
      const pending = cookieHeader(cookiesSet(first));
      for (const [index, naughty] of naughtyStrings.entries()) {
        // An address per string, so the sign-in limits do not hide what the form does.
        const address = `10.9.${(index >> 8) & 255}.${index & 255}`;
        const result = await submitCode(pending, { code: naughty, remember: naughty }, address);
        expect(statusOf(result), JSON.stringify(naughty)).toBe(400);
        expect(cookiesSet(result).commons_session).toBeUndefined();
        const change = await postAs(settings.action, '/settings/two-factor', user.id, {
          intent: 'disable',
          proof: naughty,
        });
        expect([400, 429], JSON.stringify(naughty)).toContain(statusOf(change));
      }
      const page = await loaderData(settings.loader, '/settings/two-factor', user.id);
      expect(page.status.state).toBe('on');
    });

    test("the admin's two-factor forms take any text: an error, never a server error", async () => {
      const admin = await makeUser('admin');
      for (const naughty of naughtyStrings) {
        const forms: Record<string, string>[] = [
          { intent: 'reset-two-factor', userId: naughty },
          { intent: 'staff-two-factor', required: naughty },
        ];
        for (const fields of forms) {
          const result = await postAs(adminUsers.action, '/admin/users', admin.id, fields);
          expect([200, 400], JSON.stringify(fields)).toContain(statusOf(result));
        }
      }
    });
  },
);
