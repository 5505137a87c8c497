import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Field, FormError, Notice } from '~/components/forms';
import { SettingsNav } from '~/components/settings-nav';
import {
  cancelEnrolment,
  checkCodeUnderLimits,
  codeSchema,
  confirmEnrolment,
  forgetRememberedDevices,
  mustSetUpTwoFactor,
  recoveryCodeCount,
  regenerateRecoveryCodes,
  startEnrolment,
  turnOffTwoFactor,
  twoFactorStatus,
} from '~/models/two-factor.server';
import { getConfig } from '~/utils/config.server';
import { formatDate } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { parseForm, type FormReply } from '~/utils/forms.server';
import { otpauthUri, qrCodeOf } from '~/utils/totp.server';

export const meta: MetaFunction = () => [{ title: 'Two-factor sign-in' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const status = await twoFactorStatus(db, user.id);
  const requiredOfYou = await mustSetUpTwoFactor(db, user);
  if (status.state !== 'enrolling')
    return { status, requiredOfYou, recoveryCodeCount, enrolment: null };
  const uri = otpauthUri(getConfig().SITE_NAME, user.username, status.secret);
  return {
    status: { state: status.state },
    requiredOfYou,
    recoveryCodeCount,
    enrolment: {
      qrCode: await qrCodeOf(uri),
      // In fours, as apps show keys typed in by hand.
      setupKey: status.secret.replace(/(.{4})/g, '$1 ').trim(),
    },
  };
}

const intentSchema = z.object({
  intent: z.enum(['start', 'cancel', 'confirm', 'regenerate', 'disable', 'forget-devices']),
});
const confirmSchema = z.object({ code: codeSchema });
const proofSchema = z.object({
  proof: z
    .string('Enter your password or a code from your app.')
    .min(1, 'Enter your password or a code from your app.')
    .max(200, 'That is too long to be your password or a code.'),
});

type TwoFactorReply = FormReply & { recoveryCodes: string[] | null };

/** The page's one answer shape: FormReply, plus recovery codes the once they are shown. */
function reply(status: number, fields: Partial<TwoFactorReply>) {
  const body: TwoFactorReply = {
    form: null,
    formError: null,
    notice: null,
    fieldErrors: {},
    values: {},
    recoveryCodes: null,
    ...fields,
  };
  return data(body, { status });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  const intent = intentSchema.safeParse({ intent: formData.get('intent') });
  if (!intent.success) return reply(400, { formError: 'Choose what to do.' });
  const db = getDb();
  switch (intent.data.intent) {
    case 'start':
      await startEnrolment(db, user.id);
      return reply(200, {});
    case 'cancel':
      await cancelEnrolment(db, user.id);
      return reply(200, { notice: 'Two-factor was not turned on.' });
    case 'confirm': {
      const parsed = parseForm(formData, confirmSchema);
      if (!parsed.success) return reply(400, { form: 'confirm', fieldErrors: parsed.fieldErrors });
      const result = await confirmEnrolment(db, user.id, parsed.data.code);
      if (!result.ok) return reply(400, { form: 'confirm', fieldErrors: result.fieldErrors });
      return reply(200, {
        notice: 'Two-factor is on. From now on, signing in asks for a code from your app.',
        recoveryCodes: result.recoveryCodes,
      });
    }
    case 'forget-devices': {
      const forgotten = await forgetRememberedDevices(db, user.id);
      return reply(200, {
        notice:
          forgotten === 0
            ? 'No browser was remembered.'
            : 'Every remembered browser asks for a code again at its next sign-in.',
      });
    }
    case 'regenerate':
    case 'disable': {
      // Both hand over control of the account, so the password or a code is asked for again.
      const parsed = parseForm(formData, proofSchema);
      if (!parsed.success) return reply(400, { form: 'change', fieldErrors: parsed.fieldErrors });
      const check = await checkCodeUnderLimits(db, {
        userId: user.id,
        code: parsed.data.proof,
        clientAddress: context.clientAddress,
        orPassword: true,
      });
      if (!check.ok) {
        return reply(check.status, {
          form: 'change',
          formError: check.formError,
          fieldErrors: check.fieldError ? { proof: check.fieldError } : {},
        });
      }
      if (intent.data.intent === 'disable') {
        await turnOffTwoFactor(db, user.id);
        return reply(200, {
          notice: 'Two-factor is off. Your recovery codes and remembered browsers are gone.',
        });
      }
      const codes = await regenerateRecoveryCodes(db, user.id);
      return reply(200, {
        notice: 'New recovery codes are ready; the old ones no longer work.',
        recoveryCodes: codes,
      });
    }
  }
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section className="card stack settings-card" aria-labelledby="codes-heading">
      <div>
        <h2 id="codes-heading">Your recovery codes</h2>
        <p className="muted">
          Keep them somewhere safe, such as a password manager. Each one signs you in once when you
          cannot use your app. This is the only time we show them.
        </p>
      </div>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div>
        <Link to="/settings/two-factor" className="button button-secondary">
          I have saved them
        </Link>
      </div>
    </section>
  );
}

export default function TwoFactorSettings() {
  const { status, requiredOfYou, recoveryCodeCount, enrolment } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const confirmErrors = actionData?.form === 'confirm' ? actionData.fieldErrors : {};
  const changeErrors = actionData?.form === 'change' ? actionData.fieldErrors : {};
  return (
    <div className="page narrow stack">
      <h1>Two-factor sign-in</h1>
      <SettingsNav />
      {requiredOfYou ? (
        <div className="alert alert-warning" role="status">
          This site asks every agent, moderator and admin to use two-factor sign-in. Set it up below
          to use the staff pages again.
        </div>
      ) : null}
      <Notice>{actionData?.notice}</Notice>
      <FormError>{actionData?.formError}</FormError>
      {actionData?.recoveryCodes ? <RecoveryCodes codes={actionData.recoveryCodes} /> : null}

      {status.state === 'off' ? (
        <section className="card stack settings-card" aria-labelledby="off-heading">
          <div>
            <h2 id="off-heading">
              Two-factor is <span className="badge">off</span>
            </h2>
            <p className="muted">
              With two-factor on, signing in takes your password and a code from an authenticator
              app on your phone (such as Google Authenticator, 1Password or Aegis), so a stolen
              password alone does not open your account.
            </p>
          </div>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="button" disabled={busy}>
              Set up two-factor
            </button>
          </Form>
        </section>
      ) : null}

      {enrolment ? (
        <section className="card stack settings-card" aria-labelledby="enrol-heading">
          <div>
            <h2 id="enrol-heading">Set up your authenticator app</h2>
            <p className="muted">
              Scan this QR code with your app, then type the 6-digit code it shows.
            </p>
          </div>
          <div className="two-factor-setup">
            <img
              className="qr-code"
              src={enrolment.qrCode}
              width={220}
              height={220}
              alt="QR code to add this account to an authenticator app"
            />
            <div className="stack-small">
              <p className="muted">Cannot scan it? Type this setup key into the app instead:</p>
              <code className="setup-key" aria-label="Setup key">
                {enrolment.setupKey}
              </code>
              <p className="muted">Choose a time-based key (TOTP) if the app asks.</p>
            </div>
          </div>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="confirm" />
            <Field
              label="Code from your app"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              error={confirmErrors.code}
              required
            />
            <div className="button-row">
              <button type="submit" className="button" disabled={busy}>
                Turn on two-factor
              </button>
              <button
                type="submit"
                form="cancel-enrolment"
                className="button button-secondary"
                disabled={busy}
              >
                Cancel setup
              </button>
            </div>
          </Form>
          {/* Its button sits beside "Turn on" above (the form attribute). */}
          <Form method="post" id="cancel-enrolment">
            <input type="hidden" name="intent" value="cancel" />
          </Form>
        </section>
      ) : null}

      {status.state === 'on' ? (
        <>
          <section className="card stack settings-card" aria-labelledby="on-heading">
            <div>
              <h2 id="on-heading">
                Two-factor is <span className="badge badge-success">on</span>
              </h2>
              <p className="muted">
                Since {formatDate(status.since)}. Signing in asks for a code from your app.
              </p>
            </div>
            <div className="button-row">
              <span>
                {status.recoveryCodesLeft} of {recoveryCodeCount} recovery codes left.
                {status.recoveryCodesLeft <= 3 ? ' Make new ones before you run out.' : null}
              </span>
            </div>
            <div className="button-row">
              <span>
                {status.rememberedDevices === 0
                  ? 'No browser is remembered.'
                  : status.rememberedDevices === 1
                    ? 'One browser skips the code.'
                    : `${status.rememberedDevices} browsers skip the code.`}
              </span>
              {status.rememberedDevices > 0 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="forget-devices" />
                  <button
                    type="submit"
                    className="button button-secondary button-small"
                    disabled={busy}
                  >
                    Forget remembered browsers
                  </button>
                </Form>
              ) : null}
            </div>
          </section>
          <section className="card stack settings-card" aria-labelledby="change-heading">
            <div>
              <h2 id="change-heading">New recovery codes, or turn it off</h2>
              <p className="muted">
                Confirm it is you first. Turning two-factor off also forgets every remembered
                browser.
              </p>
            </div>
            <Form method="post" className="stack" noValidate>
              <Field
                label="Your password or a code from your app"
                name="proof"
                type="password"
                autoComplete="current-password"
                error={changeErrors.proof}
                required
              />
              <div className="button-row">
                <button
                  type="submit"
                  name="intent"
                  value="regenerate"
                  className="button button-secondary"
                  disabled={busy}
                >
                  Make new recovery codes
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="disable"
                  className="button button-danger"
                  disabled={busy}
                >
                  Turn off two-factor
                </button>
              </div>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}

export function headers() {
  return { 'Cache-Control': 'no-store' };
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
