import crypto from 'node:crypto';
import type { Database } from '#db/client';
import { queueMail } from './mail/outbox.server';
import { renderMail } from './mail/templates.server';
import { claimCounters, type Claim } from './rate-limits.server';
import { getConfig } from '~/utils/config.server';

/**
 * The mails of an account's life (confirm an address, reset a password, claim an account, an
 * address changed). All are transactional: no unsubscribe, sent whether or not the address is
 * verified. Each is queued in the transaction that creates its link.
 */

/** Account mails to one address per hour (whatever their kind, whoever asks). */
export const maxAccountMailsPerAddress = 5;
/** Account mails asked for from one network address per hour. */
export const maxAccountMailsPerClient = 20;
export const accountMailWindowMinutes = 60;

/**
 * Counts one account mail against the address it goes to and, when a visitor asked for it, the
 * network address they asked from. The address is counted by its hash: the table is not a list of
 * addresses people typed. Counted before anyone is looked up, so a refusal says nothing about
 * whether the address has an account.
 */
export async function claimAccountMail(
  db: Database,
  to: string,
  clientAddress: string | null,
  now = new Date(),
): Promise<Claim> {
  const addressHash = crypto.createHash('sha256').update(to.trim().toLowerCase()).digest('hex');
  const counters = [
    {
      key: `account-mail:to:${addressHash}`,
      limit: maxAccountMailsPerAddress,
      windowMinutes: accountMailWindowMinutes,
    },
  ];
  if (clientAddress !== null) {
    counters.push({
      key: `account-mail:ip:${clientAddress}`,
      limit: maxAccountMailsPerClient,
      windowMinutes: accountMailWindowMinutes,
    });
  }
  return claimCounters(db, counters, now);
}

type Recipient = { id: number; email: string; display_name: string; username: string };

function siteName() {
  return getConfig().SITE_NAME;
}

function transactional(
  kind: 'verify_email' | 'password_reset' | 'email_change' | 'account_claim',
  to: string,
  recipient: Recipient,
  subject: string,
  content: Parameters<typeof renderMail>[0],
) {
  return {
    kind,
    to,
    toName: recipient.display_name,
    userId: recipient.id,
    subject,
    ...renderMail(content),
    unsubscribe: null,
  };
}

export async function queueVerificationMail(
  db: Database,
  recipient: Recipient,
  token: string,
  now = new Date(),
) {
  await queueMail(
    db,
    transactional(
      'verify_email',
      recipient.email,
      recipient,
      `Confirm your email address for ${siteName()}`,
      {
        title: 'Confirm your email address',
        paragraphs: [
          `Hello ${recipient.display_name},`,
          `Confirm that ${recipient.email} is your address, so that ${siteName()} can send you replies to your questions and requests. The link works for 48 hours.`,
        ],
        action: { label: 'Confirm my address', url: `/verify-email/${token}` },
        footer: 'If you did not create this account, ignore this mail: nothing more will be sent.',
      },
    ),
    now,
  );
}

export async function queuePasswordResetMail(
  db: Database,
  recipient: Recipient,
  token: string,
  now = new Date(),
) {
  await queueMail(
    db,
    transactional(
      'password_reset',
      recipient.email,
      recipient,
      `Reset your password for ${siteName()}`,
      {
        title: 'Reset your password',
        paragraphs: [
          `Hello ${recipient.display_name},`,
          `Someone, hopefully you, asked to reset the password of your account ${recipient.username}. Choose a new password with the link below; it works once, for 1 hour. Setting it signs you out everywhere else.`,
        ],
        action: { label: 'Choose a new password', url: `/reset-password/${token}` },
        footer:
          'If you did not ask for this, ignore this mail: your password stays as it is and nobody can use this link without your mailbox.',
      },
    ),
    now,
  );
}

export async function queueClaimMail(
  db: Database,
  recipient: Recipient,
  token: string,
  invitedBy: string | null,
  now = new Date(),
) {
  const opening = invitedBy
    ? `${invitedBy} invited you to ${siteName()}. An account is ready for you: ${recipient.display_name} (${recipient.username}).`
    : `An account on ${siteName()} belongs to this address: ${recipient.display_name} (${recipient.username}). It has no password yet.`;
  await queueMail(
    db,
    transactional(
      'account_claim',
      recipient.email,
      recipient,
      invitedBy ? `You are invited to ${siteName()}` : `Claim your account on ${siteName()}`,
      {
        title: invitedBy ? 'Your invitation' : 'Claim your account',
        paragraphs: [
          `Hello ${recipient.display_name},`,
          opening,
          'Choose a password to sign in. The account keeps its name, its reputation and everything written under it. The link works once, for 7 days.',
        ],
        action: { label: 'Claim my account', url: `/claim/${token}` },
        footer: 'If this is not you, ignore this mail: the account stays as it is.',
      },
    ),
    now,
  );
}

export async function queueEmailChangeMail(
  db: Database,
  recipient: Recipient,
  newEmail: string,
  token: string,
  now = new Date(),
) {
  await queueMail(
    db,
    transactional(
      'email_change',
      newEmail,
      recipient,
      `Confirm your new email address for ${siteName()}`,
      {
        title: 'Confirm your new email address',
        paragraphs: [
          `Hello ${recipient.display_name},`,
          `You asked to use ${newEmail} for your account ${recipient.username}. Confirm it with the link below; until then your account keeps its old address. The link works once, for 24 hours.`,
        ],
        action: { label: 'Use this address', url: `/verify-email/${token}` },
        footer: 'If you did not ask for this, ignore this mail: nothing changes.',
      },
    ),
    now,
  );
}

/** Tells the old address that the account now uses another one. */
export async function queueEmailChangedNotice(
  db: Database,
  recipient: Recipient,
  oldEmail: string,
  newEmail: string,
  now = new Date(),
) {
  await queueMail(
    db,
    transactional(
      'email_change',
      oldEmail,
      recipient,
      `Your email address on ${siteName()} was changed`,
      {
        title: 'Your email address was changed',
        paragraphs: [
          `Hello ${recipient.display_name},`,
          `Your account ${recipient.username} now uses ${newEmail}. Mail from ${siteName()} goes there from now on.`,
          'If you did not make this change, someone else may be using your account: tell the support team right away.',
        ],
        action: { label: 'Contact support', url: '/requests/new' },
        footer: 'This mail went to your previous address so that you know.',
      },
    ),
    now,
  );
}
