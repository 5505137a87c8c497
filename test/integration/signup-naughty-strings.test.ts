import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { signIn } from '~/auth/sign-in.server';
import { action } from '~/routes/signup';
import { getDb } from '~/utils/db.server';
import { formRequest, settle, statusOf, testContext } from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

async function submitSignUp(fields: Record<string, string>) {
  return statusOf(
    await settle(() =>
      action({ request: formRequest('/signup', fields), params: {}, context: testContext }),
    ),
  );
}

describe.skipIf(naughtyStrings.length === 0)(
  'sign-up survives the Big List of Naughty Strings',
  () => {
    test('each string in each field gets a field error or an account, never a server error', async () => {
      const outcomes = { created: 0, rejected: 0 };
      for (const [index, naughty] of naughtyStrings.entries()) {
        for (const field of ['email', 'username', 'password'] as const) {
          const fields = {
            email: `${field}${index}@example.com`,
            username: `${field}${index}`,
            password: `a sound passphrase ${index}`,
            [field]: naughty,
          };
          const status = await submitSignUp(fields);
          expect([302, 400], `${field} = ${JSON.stringify(naughty)}`).toContain(status);
          if (status === 400) {
            outcomes.rejected++;
            continue;
          }
          outcomes.created++;
          // What was accepted was stored exactly: the account signs in with it.
          const signedIn = await signIn(
            getDb(),
            { login: fields.username, password: fields.password },
            '127.0.0.1',
          );
          expect(signedIn.ok, `sign-in after ${field} = ${JSON.stringify(naughty)}`).toBe(true);
        }
      }
      // Both paths were exercised: plenty of strings are fine passwords, most are bad usernames.
      expect(outcomes.created).toBeGreaterThan(100);
      expect(outcomes.rejected).toBeGreaterThan(500);
    });
  },
);
