import type { Database } from '#db/client';
import type { Role } from '#db/schema';

/*
 * Whether a person has two-factor on and whether staff must: read on every staff page, so kept
 * apart from the rest of two-factor (its password checks and QR codes), which the session code
 * and the pages' shared modules must not pull in.
 */

export const staffRequirementKey = 'staff_two_factor';

/** Whether this person signs in with a second factor. */
export async function hasTwoFactor(db: Database, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('two_factor')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the admin asked every agent, moderator and admin to use two-factor. */
export async function staffTwoFactorRequired(db: Database): Promise<boolean> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', staffRequirementKey)
    .executeTakeFirst();
  return row?.value === 'on';
}

/** Staff who must set up two-factor before they may use the staff pages. */
export async function mustSetUpTwoFactor(
  db: Database,
  user: { id: number; role: Role },
): Promise<boolean> {
  if (user.role === 'member') return false;
  if (!(await staffTwoFactorRequired(db))) return false;
  return !(await hasTwoFactor(db, user.id));
}
