import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createSessionCookie } from '~/auth/session.server';
import { describeDevice } from '~/models/sessions.server';
import { action as loginAction } from '~/routes/login';
import { loader as accountLoader } from '~/routes/settings.account';
import * as security from '~/routes/settings.security';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import {
  callRoute,
  formReplyOf,
  formRequest,
  locationOf,
  statusOf,
  testContext,
} from '../support/requests';

const firefoxOnWindows =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const safariOnIphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const chromeOnLinux =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Signs in through the sign-in form from this browser and address; returns the Cookie header. */
async function signInFrom(username: string, userAgent: string, clientAddress: string) {
  const request = formRequest(
    '/login',
    { login: username, password: 'correct horse battery', redirectTo: '/' },
    { 'User-Agent': userAgent },
  );
  const result = await loginAction({
    request,
    params: {},
    context: { ...testContext, clientAddress },
  }).catch((error: unknown) => error);
  expect(statusOf(result)).toBe(302);
  const setCookie = result instanceof Response ? (result.headers.get('Set-Cookie') ?? '') : '';
  const cookie = setCookie.split(';')[0] ?? '';
  expect(cookie).toMatch(/^commons_session=/);
  return cookie;
}

function pageRequest(cookie: string) {
  return new Request('http://localhost/settings/security', { headers: { Cookie: cookie } });
}

async function sessionsSeenWith(cookie: string) {
  const result = await callRoute(security.loader, pageRequest(cookie));
  if (result instanceof Response) throw new Error(`the page answered ${result.status}`);
  return (result as Awaited<ReturnType<typeof security.loader>>).sessions;
}

async function post(cookie: string, fields: Record<string, string>) {
  return callRoute(security.action, formRequest('/settings/security', fields, { Cookie: cookie }));
}

/** Whether a Cookie header still signs its request in (a signed-out one is sent to /login). */
async function signedIn(cookie: string): Promise<boolean> {
  const result = await callRoute(
    accountLoader,
    new Request('http://localhost/settings/account', { headers: { Cookie: cookie } }),
  );
  if (locationOf(result)?.startsWith('/login')) return false;
  expect(statusOf(result)).toBe(200);
  return true;
}

describe('the sessions page (/settings/security)', () => {
  test('lists each browser with its device, address and times, this browser first', async () => {
    const user = await makeUser();
    const laptop = await signInFrom(user.username, firefoxOnWindows, '198.51.100.7');
    await signInFrom(user.username, safariOnIphone, '::ffff:203.0.113.44');
    const sessions = await sessionsSeenWith(laptop);
    expect(sessions.map((session) => [session.device, session.address, session.current])).toEqual([
      ['Firefox on Windows', '198.51.100.7', true],
      ['Safari on iOS', '203.0.113.44', false],
    ]);
    for (const session of sessions) {
      expect(Date.now() - Date.parse(session.startedAt ?? '')).toBeLessThan(60_000);
      expect(session.lastSeenAt).toBe(session.startedAt);
    }
  });

  test('signing out of another session refuses its cookie on its next request, and the audit log says who did it', async () => {
    const user = await makeUser();
    const laptop = await signInFrom(user.username, firefoxOnWindows, '198.51.100.7');
    const phone = await signInFrom(user.username, safariOnIphone, '203.0.113.44');
    expect(await signedIn(phone)).toBe(true);
    const other = (await sessionsSeenWith(laptop)).find((session) => !session.current)!;
    const reply = formReplyOf(await post(laptop, { intent: 'end', session: other.key }));
    expect(reply.notice).toBe('Signed out of Safari on iOS.');
    expect(await signedIn(phone)).toBe(false);
    expect(await signedIn(laptop)).toBe(true);
    expect((await sessionsSeenWith(laptop)).map((session) => session.device)).toEqual([
      'Firefox on Windows',
    ]);
    const logged = await getDb()
      .selectFrom('moderation_log')
      .select(['actor_id', 'action', 'target_user_id', 'data'])
      .where('target_user_id', '=', user.id)
      .execute();
    expect(logged).toEqual([
      {
        actor_id: user.id,
        action: 'session_end',
        target_user_id: user.id,
        data: JSON.stringify({ device: 'Safari on iOS' }),
      },
    ]);
  });

  test("nobody can end another person's session: it looks already ended, and it goes on working", async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const ownerCookie = await signInFrom(owner.username, chromeOnLinux, '198.51.100.8');
    const strangerCookie = await signInFrom(stranger.username, firefoxOnWindows, '198.51.100.9');
    const [ownerSession] = await sessionsSeenWith(ownerCookie);
    const reply = formReplyOf(
      await post(strangerCookie, { intent: 'end', session: ownerSession!.key }),
    );
    expect(reply.notice).toBe('That session had already ended.');
    expect(await signedIn(ownerCookie)).toBe(true);
  });

  test('"sign out everywhere else" ends every session but this one', async () => {
    const user = await makeUser();
    const here = await signInFrom(user.username, chromeOnLinux, '198.51.100.10');
    const elsewhere = [
      await signInFrom(user.username, firefoxOnWindows, '198.51.100.11'),
      await signInFrom(user.username, safariOnIphone, '198.51.100.12'),
    ];
    const reply = formReplyOf(await post(here, { intent: 'end-others' }));
    expect(reply.notice).toBe('Signed out of 2 other sessions.');
    for (const cookie of elsewhere) expect(await signedIn(cookie)).toBe(false);
    expect(await signedIn(here)).toBe(true);
    expect(formReplyOf(await post(here, { intent: 'end-others' })).notice).toBe(
      'You were signed in nowhere else.',
    );
  });

  test('"last seen" is written when a session is used, at most once in five minutes', async () => {
    const user = await makeUser();
    const cookie = await signInFrom(user.username, chromeOnLinux, '198.51.100.13');
    const setLastSeen = (minutesAgo: number) => {
      const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
      return getDb()
        .updateTable('sessions')
        .set({ last_seen_at: at })
        .where('user_id', '=', user.id)
        .execute()
        .then(() => at);
    };
    const lastSeen = async () =>
      (
        await getDb()
          .selectFrom('sessions')
          .select('last_seen_at')
          .where('user_id', '=', user.id)
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    const recent = await setLastSeen(2);
    expect(await signedIn(cookie)).toBe(true);
    expect(await lastSeen()).toBe(recent);
    await setLastSeen(10);
    expect(await signedIn(cookie)).toBe(true);
    expect(Date.now() - Date.parse((await lastSeen()) ?? '')).toBeLessThan(60_000);
  });

  test('a signed-out visitor is sent to sign in, and a form naming nothing is refused in words', async () => {
    const result = await callRoute(security.loader, pageRequest(''));
    expect(locationOf(result)).toBe('/login?redirectTo=%2Fsettings%2Fsecurity');
    const user = await makeUser();
    const cookie = await signInFrom(user.username, chromeOnLinux, '198.51.100.14');
    const refused = await post(cookie, { intent: 'end' });
    expect(statusOf(refused)).toBe(400);
    expect(formReplyOf(refused).formError).toBe('Choose a session to sign out of.');
  });

  test('devices are named from the User-Agent; one it cannot read is shown as sent, shortened', () => {
    expect(describeDevice(chromeOnLinux)).toBe('Chrome on Linux');
    expect(describeDevice(safariOnIphone)).toBe('Safari on iOS');
    expect(
      describeDevice(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      ),
    ).toBe('Edge on Windows');
    expect(
      describeDevice(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome on Linux');
    expect(describeDevice('curl/8.5.0')).toBe('curl/8.5.0');
    expect(describeDevice('')).toBe('Unknown browser');
    expect(describeDevice('x'.repeat(100))).toBe(`${'x'.repeat(60)}…`);
  });
});

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

describe.skipIf(naughtyStrings.length === 0)('the sessions page and naughty strings', () => {
  test('any User-Agent is a saved session with a device name, and any posted key an answer in words', async () => {
    const user = await makeUser();
    const here = (await createSessionCookie(user.id)).split(';')[0] ?? '';
    for (const naughty of naughtyStrings) {
      await createSessionCookie(user.id, { userAgent: naughty, address: naughty });
    }
    const sessions = await sessionsSeenWith(here);
    expect(sessions).toHaveLength(naughtyStrings.length + 1);
    for (const session of sessions) {
      expect(typeof session.device).toBe('string');
      expect(session.device.length).toBeGreaterThan(0);
    }
    for (const naughty of naughtyStrings) {
      const result = await post(here, { intent: 'end', session: naughty });
      expect([200, 400], naughty).toContain(statusOf(result));
    }
    expect(await sessionsSeenWith(here)).toHaveLength(naughtyStrings.length + 1);
  });
});
