import { redirect } from '@remix-run/node';
import { z } from 'zod';
import {
  checkCodeUnderLimits,
  codeSchema,
  endPendingSignIn,
  findPendingSignIn,
  hasTwoFactor,
  isRememberedDevice,
  mustSetUpTwoFactor,
  pendingSignInMinutes,
  rememberDevice,
  rememberedDeviceDays,
  startPendingSignIn,
  type PendingSignIn,
} from '~/models/two-factor.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';
import { httpOnlyCookie, readCookie } from './cookies.server';
import { createSessionCookie, deviceOf } from './session.server';
import { accountProven } from './sign-in.server';

// The sign-in steps after a right password (docs/decisions/024-two-factor.md): an account with
// two-factor gets no session until its code is typed on /login/two-factor, unless this browser
// was remembered; staff who must use two-factor and have not set it up are sent to set it up.

/** The sign-in waiting for its code: a random token, kept in the database as its hash. */
const pendingCookie = 'commons_two_factor';
/** A browser remembered for 30 days: a random token, bound to one person in the database. */
const deviceCookie = 'commons_device';

/** Where staff are sent while they must set up two-factor, and the page says why. */
export const twoFactorSetupPath = '/settings/two-factor';

/**
 * After a right password (or a new one from a mailed link): signs in, or asks for the second
 * factor first. Returns the redirect to send.
 */
export async function continueSignIn(
  request: Request,
  clientAddress: string,
  userId: number,
  redirectTo: string,
): Promise<Response> {
  const db = getDb();
  const headers = new Headers();
  if (await hasTwoFactor(db, userId)) {
    const deviceToken = readCookie(request, deviceCookie);
    const remembered =
      deviceToken !== null && (await isRememberedDevice(db, { userId, token: deviceToken }));
    if (!remembered) {
      const token = await startPendingSignIn(db, { userId, redirectTo });
      headers.append('Set-Cookie', httpOnlyCookie(pendingCookie, token, pendingSignInMinutes * 60));
      return redirect('/login/two-factor', { headers });
    }
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const next = (await mustSetUpTwoFactor(db, user)) ? twoFactorSetupPath : redirectTo;
  headers.append('Set-Cookie', await createSessionCookie(userId, deviceOf(request, clientAddress)));
  await accountProven(db, request, userId, headers);
  return redirect(next, { headers });
}

/** The sign-in this browser's pending cookie waits for, or null (none, or more than 10 minutes). */
export async function pendingSignInOf(request: Request): Promise<PendingSignIn | null> {
  const token = readCookie(request, pendingCookie);
  return token ? findPendingSignIn(getDb(), token) : null;
}

export const secondFactorSchema = z.object({
  code: codeSchema,
  remember: z.string().optional(),
});

/** The answer when the pending sign-in is gone: start again from the password. */
const expiredMessage = `This sign-in waited more than ${pendingSignInMinutes} minutes for its code. Sign in again.`;

/**
 * The code step: a code from the app or a recovery code, counted by the sign-in limits like a
 * password. A right one signs in (and remembers the browser when asked) and goes on to where the
 * sign-in was headed.
 */
export async function submitSecondFactor(request: Request, clientAddress: string) {
  const formData = await request.formData();
  const token = readCookie(request, pendingCookie);
  const db = getDb();
  const pending = token ? await findPendingSignIn(db, token) : null;
  if (!token || !pending) return formReply(410, { formError: expiredMessage });
  const parsed = parseForm(formData, secondFactorSchema);
  if (!parsed.success) return formFailure(parsed);
  const check = await checkCodeUnderLimits(db, {
    userId: pending.userId,
    code: parsed.data.code,
    clientAddress,
  });
  if (!check.ok) {
    return formFailure(
      {
        fieldErrors: check.fieldError ? { code: check.fieldError } : {},
        formError: check.formError ?? undefined,
        values: formValues(formData, secondFactorSchema),
      },
      check.status,
    );
  }
  await endPendingSignIn(db, token);
  const headers = new Headers();
  const device = deviceOf(request, clientAddress);
  headers.append('Set-Cookie', await createSessionCookie(pending.userId, device));
  headers.append('Set-Cookie', httpOnlyCookie(pendingCookie, '', 0));
  await accountProven(db, request, pending.userId, headers);
  if (parsed.data.remember === 'on') {
    const deviceToken = await rememberDevice(db, {
      userId: pending.userId,
      userAgent: device.userAgent,
    });
    headers.append(
      'Set-Cookie',
      httpOnlyCookie(deviceCookie, deviceToken, rememberedDeviceDays * 86_400),
    );
  }
  return redirect(pending.redirectTo, { headers });
}
