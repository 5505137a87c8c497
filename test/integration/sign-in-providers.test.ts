import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '~/auth/sign-in.server';
import { findProvider, listProviders } from '~/models/sign-in-providers.server';
import * as adminSignIn from '~/routes/admin.sign-in';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider';
import {
  callRoute,
  formReplyOf,
  loaderData,
  locationOf,
  postAs,
  sessionCookieFor,
  statusOf,
} from '../support/requests';

const blns: string[] = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../shared/data/naughty/blns.json'), 'utf8'),
);

let idp: TestIdentityProvider;

beforeAll(async () => {
  idp = await startIdentityProvider();
  idp.registerClient(['http://localhost/auth/okta/callback']);
});

afterAll(async () => {
  await idp?.stop();
});

function providerForm(fields: Record<string, string | string[]> = {}) {
  return {
    intent: 'save',
    label: 'Sign in with Okta',
    slug: 'okta',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    roles: 'member',
    newAccountRole: 'member',
    createAccounts: 'on',
    emailDomains: '',
    enabled: 'on',
    ...fields,
  };
}

/** The admin form's post, with repeated fields (the role checkboxes) as a browser sends them. */
async function saveAs(userId: number, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields))
    for (const item of [value].flat()) body.append(key, item);
  const request = new Request('http://localhost/admin/sign-in', {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: await sessionCookieFor(userId),
    },
  });
  return callRoute(adminSignIn.action, request);
}

describe('sign-in providers (admin)', () => {
  test('an admin adds a provider after its discovery document is read; the secret is never shown back', async () => {
    const admin = await makeUser('admin');
    const badIssuer = await saveAs(admin.id, providerForm({ issuer: 'http://127.0.0.1:9/' }));
    expect(statusOf(badIssuer)).toBe(400);
    expect(formReplyOf(badIssuer).fieldErrors.issuer).toMatch(/could not be reached/);
    expect(formReplyOf(badIssuer).values.label).toBe('Sign in with Okta');
    expect(formReplyOf(badIssuer).values).not.toHaveProperty('clientSecret');

    const notHttps = await saveAs(admin.id, providerForm({ issuer: 'http://login.example.com' }));
    expect(formReplyOf(notHttps).fieldErrors.issuer).toMatch(/https/);

    const saved = await saveAs(admin.id, providerForm());
    expect(locationOf(saved)).toBe('/admin/sign-in?saved=1');
    const provider = await findProvider(getDb(), getConfig(), 'okta');
    expect(provider).toMatchObject({
      label: 'Sign in with Okta',
      roles: ['member'],
      enabled: true,
    });

    // Edited with the secret left empty: the stored one stays.
    const edited = await saveAs(
      admin.id,
      providerForm({ provider: 'okta', clientSecret: '', label: 'Okta' }),
    );
    expect(locationOf(edited)).toBe('/admin/sign-in?saved=1');
    expect((await findProvider(getDb(), getConfig(), 'okta'))?.clientSecret).toBe(idp.clientSecret);
    const page = await loaderData(adminSignIn.loader, '/admin/sign-in', admin.id);
    expect(JSON.stringify(page)).not.toContain(idp.clientSecret);

    const log = await getDb()
      .selectFrom('moderation_log')
      .select('data')
      .where('action', '=', 'sign_in_provider_saved')
      .execute();
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(log)).not.toContain(idp.clientSecret);
  });

  test('only admins may change sign-in', async () => {
    for (const role of ['member', 'agent', 'moderator'] as const) {
      const person = await makeUser(role);
      const result = await saveAs(person.id, providerForm({ slug: `by-${role}` }));
      expect(statusOf(result), role).toBe(403);
    }
    expect(await findProvider(getDb(), getConfig(), 'by-agent')).toBeNull();
  });

  test('bad input in every field is a field error, never a 500', async () => {
    const admin = await makeUser('admin');
    const cases: Array<[Record<string, string>, string]> = [
      [{ label: '' }, 'label'],
      [{ label: 'x'.repeat(61) }, 'label'],
      [{ slug: 'Not A Slug!' }, 'slug'],
      [{ slug: 'sso' }, 'slug'],
      [{ issuer: 'not a url' }, 'issuer'],
      [{ clientId: '' }, 'clientId'],
      [{ clientSecret: '' }, 'clientSecret'],
      [{ roles: 'owner' }, 'roles'],
      [{ newAccountRole: 'admin' }, 'newAccountRole'],
      [{ emailDomains: 'example.com not_a_domain!' }, 'emailDomains'],
    ];
    for (const [fields, field] of cases) {
      const result = await saveAs(admin.id, providerForm({ slug: 'bad-input', ...fields }));
      expect(statusOf(result), JSON.stringify(fields)).toBe(400);
      expect(formReplyOf(result).fieldErrors[field], JSON.stringify(fields)).toBeTruthy();
    }
  });

  test('naughty strings as provider labels, ids and domains: a field error or a saved row', async () => {
    const admin = await makeUser('admin');
    expect(locationOf(await saveAs(admin.id, providerForm({ slug: 'naughty' })))).toBeTruthy();
    for (const naughty of blns) {
      for (const field of ['label', 'clientId', 'emailDomains', 'slug']) {
        const result = await saveAs(
          admin.id,
          providerForm({ provider: 'naughty', slug: 'naughty', [field]: naughty }),
        );
        const status = statusOf(result);
        expect([302, 400], `${field}: ${JSON.stringify(naughty)}`).toContain(status);
        if (status === 302 && field === 'label') {
          const saved = await findProvider(getDb(), getConfig(), 'naughty');
          expect(saved?.label).toBe(naughty.trim());
        }
      }
    }
  }, 120_000);
});

describe('staff sign-in with a provider only', () => {
  test('staff passwords are refused while a provider lets staff in; members are not affected', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    const agent = await makeUser('agent');
    const member = await makeUser('member');
    const password = 'correct horse battery';

    // Without a provider that admits admins, the rule cannot be turned on (nobody could get in).
    const early = await postAs(adminSignIn.action, '/admin/sign-in', admin.id, {
      intent: 'staff-policy',
      providerOnly: 'on',
    });
    expect(statusOf(early)).toBe(400);
    expect(formReplyOf(early).formError).toMatch(/First add and enable a provider/);

    const saved = await saveAs(
      admin.id,
      providerForm({
        slug: 'staff-idp',
        label: 'Staff SSO',
        roles: ['agent', 'moderator', 'admin'],
        newAccountRole: 'agent',
      }),
    );
    expect(locationOf(saved)).toBeTruthy();
    const on = await postAs(adminSignIn.action, '/admin/sign-in', admin.id, {
      intent: 'staff-policy',
      providerOnly: 'on',
    });
    expect(formReplyOf(on).notice).toMatch(/provider only/);

    const agentTry = await signIn(db, { login: agent.username, password }, '10.1.0.1');
    expect(agentTry).toMatchObject({ ok: false, status: 403 });
    expect(agentTry.ok ? '' : agentTry.message).toMatch(/Staff accounts sign in with Staff SSO/);
    expect(await signIn(db, { login: member.username, password }, '10.1.0.2')).toMatchObject({
      ok: true,
    });

    // The provider turned off: staff may use their passwords again, nobody is locked out.
    await db
      .updateTable('sign_in_providers')
      .set({ enabled: 0 })
      .where('slug', '=', 'staff-idp')
      .execute();
    expect(await signIn(db, { login: agent.username, password }, '10.1.0.3')).toMatchObject({
      ok: true,
    });
    const providers = await listProviders(db, getConfig());
    expect(providers.find((provider) => provider.slug === 'staff-idp')?.enabled).toBe(false);
    await postAs(adminSignIn.action, '/admin/sign-in', admin.id, { intent: 'staff-policy' });
  });
});
