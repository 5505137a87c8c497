import { data } from '@remix-run/node';
import type { LinkProblemState } from '~/components/account-links';
import {
  newPasswordSchema,
  passwordHelpSchema,
  requestPasswordHelp,
  setPasswordWithLink,
} from '~/models/account-recovery.server';
import { getDb } from '~/utils/db.server';
import { formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';
import { continueSignIn } from './two-factor.server';

// What the pages behind mailed links share: "Forgot password" and "Claim your account" take the
// same request, and a reset link and a claim link set a password the same way.

/** A link that cannot be used: 400 when it was never ours, 410 when it was used or ran out. */
export function linkProblem(state: LinkProblemState) {
  return data({ problem: state }, { status: state === 'unknown' ? 400 : 410 });
}

/**
 * Mails a link to choose a password (a claim link for an account that never had one). The answer
 * is the same whether or not the address has an account.
 */
export async function requestPasswordLink(request: Request, clientAddress: string) {
  const formData = await request.formData();
  const parsed = parseForm(formData, passwordHelpSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await requestPasswordHelp(getDb(), { email: parsed.data.email, clientAddress });
  if (!result.ok) {
    return formFailure(
      {
        fieldErrors: {},
        formError: result.message,
        values: formValues(formData, passwordHelpSchema),
      },
      429,
    );
  }
  return formReply(200, { notice: 'sent', values: { email: parsed.data.email } });
}

/**
 * Sets the password a reset or claim link allows, then signs the person in afresh (a reset has
 * ended every other session of the account), after their second factor if they use one, and goes
 * to `done`.
 */
export async function setPasswordFromLink(
  purpose: 'password_reset' | 'account_claim',
  request: Request,
  clientAddress: string,
  token: string,
  done: string,
) {
  const parsed = parseForm(await request.formData(), newPasswordSchema);
  if (!parsed.success) return formFailure(parsed);
  const result = await setPasswordWithLink(getDb(), purpose, {
    token,
    password: parsed.data.password,
  });
  if (!result.ok && result.state === 'valid') {
    return formFailure({ fieldErrors: result.fieldErrors, values: {} });
  }
  if (!result.ok) return linkProblem(result.state);
  // A mailed link proves the address, not the second factor: that is still asked for.
  return continueSignIn(request, clientAddress, result.userId, done);
}
