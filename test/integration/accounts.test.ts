import { describe, expect, test } from 'vitest';
import { signIn } from '~/auth/sign-in.server';
import { saveOrganization } from '~/models/organizations.server';
import {
  maxAttemptsPerAccountAndAddress,
  signInWindowMinutes,
} from '~/models/sign-in-limits.server';
import { createUser, signUpSchema } from '~/models/users.server';
import { getDb } from '~/utils/db.server';

const password = 'correct horse battery';

describe('sign-up', () => {
  test('the first account of an empty instance becomes admin, later ones are members', async () => {
    const db = getDb();
    const first = await createUser(db, { email: 'first@example.com', username: 'first', password });
    const second = await createUser(db, {
      email: 'second@example.com',
      username: 'second',
      password,
    });
    expect(first).toMatchObject({ ok: true, user: { role: 'admin' } });
    expect(second).toMatchObject({ ok: true, user: { role: 'member' } });
  });

  test('passwords are stored as argon2id hashes, never in clear', async () => {
    const db = getDb();
    await createUser(db, { email: 'hash@example.com', username: 'hashed', password });
    const row = await db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'hashed')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(password);
  });

  test('usernames and emails are unique regardless of case', async () => {
    const db = getDb();
    await createUser(db, { email: 'casey@example.com', username: 'Casey', password });
    const clash = await createUser(db, { email: 'casey@example.com', username: 'cASEY', password });
    expect(clash).toEqual({
      ok: false,
      fieldErrors: {
        email: expect.stringContaining('already exists'),
        username: 'That username is taken.',
      },
    });
  });

  test('an email whose domain belongs to an organization joins it', async () => {
    const db = getDb();
    const org = await saveOrganization(db, { name: 'Acme Ltd', domains: ['acme.example'] });
    if (!org.ok) throw new Error('organization not saved');
    const joined = await createUser(db, {
      email: 'wile@ACME.example'.toLowerCase(),
      username: 'wile',
      password,
    });
    const outsider = await createUser(db, {
      email: 'road@runner.example',
      username: 'roadrunner',
      password,
    });
    if (!joined.ok || !outsider.ok) throw new Error('users not created');
    const rows = await db
      .selectFrom('users')
      .select(['username', 'organization_id'])
      .where('id', 'in', [joined.user.id, outsider.user.id])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { username: 'wile', organization_id: org.id },
      { username: 'roadrunner', organization_id: null },
    ]);
  });

  test('the rules explain what is wrong with each field', () => {
    const result = signUpSchema.safeParse({
      email: 'not an email',
      username: 'a',
      password: 'short',
    });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(
      result.error!.issues.map((issue) => [issue.path[0], issue.message]),
    );
    expect(messages).toEqual({
      email: 'Enter a valid email address, like name@example.com.',
      username: 'Use at least 3 characters.',
      password: 'Use at least 10 characters.',
    });
    const weak = signUpSchema.safeParse({
      email: 'pat@example.com',
      username: 'patricia',
      password: 'patricia-2026',
    });
    expect(weak.error?.issues[0]?.message).toMatch(/does not contain your username/);
  });
});

describe('sign-in limits', () => {
  test(`the ${maxAttemptsPerAccountAndAddress + 1}th attempt on one account from one address within ${signInWindowMinutes} minutes is refused, even with the right password`, async () => {
    const db = getDb();
    await createUser(db, { email: 'locked@example.com', username: 'locked', password });
    for (let attempt = 1; attempt <= maxAttemptsPerAccountAndAddress; attempt++) {
      const result = await signIn(
        db,
        { login: 'locked', password: `wrong-${attempt}` },
        '10.0.0.1',
      );
      expect(result).toMatchObject({ ok: false, status: 401 });
    }
    const refused = await signIn(db, { login: 'LOCKED@example.com', password }, '10.0.0.1');
    expect(refused).toMatchObject({
      ok: false,
      status: 429,
      message: expect.stringMatching(/try again in 15 minutes/),
    });
  });

  // Finding 3 of the outside probe: the count was read before the password was checked, so 132
  // of 200 parallel guesses were checked, and the owner was then locked out for 15 minutes.
  test('finding 3: 200 concurrent wrong passwords check at most the limit, and the owner still signs in from a clean address', async () => {
    const db = getDb();
    await createUser(db, { email: 'owner@example.com', username: 'owner', password });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, guess) =>
        signIn(db, { login: 'owner', password: `guess-${guess}` }, '203.0.113.50'),
      ),
    );
    const passwordsChecked = results.filter((result) => !result.ok && result.status === 401);
    const refused = results.filter((result) => !result.ok && result.status === 429);
    expect(passwordsChecked.length).toBeLessThanOrEqual(maxAttemptsPerAccountAndAddress);
    expect(passwordsChecked.length + refused.length).toBe(200);
    // The attacker's address stays refused, even with the right password...
    expect(await signIn(db, { login: 'owner', password }, '203.0.113.50')).toMatchObject({
      status: 429,
    });
    // ...but the owner, elsewhere, is not locked out.
    expect(await signIn(db, { login: 'owner', password }, '198.51.100.7')).toMatchObject({
      ok: true,
    });
  });

  test('guesses spread over many addresses do not lock the owner out', async () => {
    const db = getDb();
    await createUser(db, { email: 'spread@example.com', username: 'spread', password });
    for (let attempt = 1; attempt <= 3 * maxAttemptsPerAccountAndAddress; attempt++) {
      await signIn(db, { login: 'spread', password: `wrong-${attempt}` }, `10.9.${attempt}.1`);
    }
    expect(await signIn(db, { login: 'spread', password }, '10.9.200.1')).toMatchObject({
      ok: true,
    });
  });

  test('failures from one address are limited across accounts', async () => {
    const db = getDb();
    await createUser(db, { email: 'victim@example.com', username: 'victim', password });
    for (let attempt = 0; attempt < 30; attempt++) {
      await signIn(db, { login: `guess${attempt}`, password: 'nope' }, '203.0.113.9');
    }
    expect(await signIn(db, { login: 'victim', password }, '203.0.113.9')).toMatchObject({
      status: 429,
    });
    expect(await signIn(db, { login: 'victim', password }, '198.51.100.1')).toMatchObject({
      ok: true,
    });
  });

  test('a successful sign-in clears the account failures', async () => {
    const db = getDb();
    await createUser(db, { email: 'forgetful@example.com', username: 'forgetful', password });
    for (let attempt = 0; attempt < maxAttemptsPerAccountAndAddress - 1; attempt++) {
      await signIn(db, { login: 'forgetful', password: 'wrong' }, '192.0.2.1');
    }
    expect(await signIn(db, { login: 'forgetful', password }, '192.0.2.1')).toMatchObject({
      ok: true,
    });
    expect(await signIn(db, { login: 'forgetful', password: 'wrong' }, '192.0.2.1')).toMatchObject({
      status: 401,
    });
    expect(await signIn(db, { login: 'forgetful', password }, '192.0.2.1')).toMatchObject({
      ok: true,
    });
  });

  test('an account without a password (imported, unclaimed) cannot sign in', async () => {
    const db = getDb();
    await db
      .insertInto('users')
      .values({
        email: 'ghost@example.com',
        username: 'ghost',
        display_name: 'Ghost',
        password_hash: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    expect(await signIn(db, { login: 'ghost', password: '' }, '192.0.2.9')).toMatchObject({
      ok: false,
      status: 401,
    });
  });
});
