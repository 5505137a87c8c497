import type { FlagReason, ModerationState } from '#db/schema';

/** Words for moderation, shared by the server and the pages. */

export const flagReasonLabels: Record<FlagReason, string> = {
  spam: 'Spam',
  rude: 'Rude or abusive',
  off_topic: 'Off-topic',
  needs_improvement: 'Needs improvement',
  other: 'Something else',
};

export const moderationStateLabels: Record<ModerationState, string> = {
  deleted: 'Deleted',
  hidden: 'Hidden pending review',
  awaiting_review: 'Awaiting review',
  spam: 'Removed as spam',
  merged: 'Merged',
};

export const logActionLabels: Record<string, string> = {
  auto_hide: 'hidden by flags',
  release_mail: 'released held mail',
  dismiss_flags: 'dismissed flags',
  hide: 'hid',
  delete: 'deleted',
  restore: 'restored',
  approve: 'approved',
  warn: 'warned',
  warning_acknowledged: 'acknowledged a warning',
  suspend: 'suspended',
  unsuspend: 'lifted the suspension of',
  silence: 'silenced',
  unsilence: 'unsilenced',
  remove_spammer: 'removed as a spammer',
  restore_spammer: 'restored the spammer',
  edit: 'edited',
  thread_lock: 'locked',
  thread_unlock: 'unlocked',
  thread_close: 'closed',
  thread_reopen: 'reopened',
  thread_duplicate: 'marked as duplicate',
  thread_merge: 'merged',
  thread_move: 'moved',
  thread_pin: 'pinned',
  thread_unpin: 'unpinned',
  settings: 'changed moderation settings',
  role: 'changed the role of',
  category_save: 'saved a category',
  category_delete: 'deleted a category',
  organization_save: 'saved an organisation',
  organization_delete: 'deleted an organisation',
  group_save: 'saved a group',
  group_delete: 'deleted a group',
  group_member_add: 'added a group member:',
  group_member_remove: 'removed a group member:',
  group_manager: 'changed a group manager:',
  group_organization_add: 'added an organisation to a group',
  group_organization_remove: 'removed an organisation from a group',
  group_domain_add: 'added an email domain to a group',
  group_domain_remove: 'removed an email domain from a group',
  group_join_request: 'asked to join a group',
  group_join_approve: 'approved a request to join from',
  group_join_decline: 'declined a request to join from',
  visibility: 'changed who may see',
  synonyms: 'changed search synonyms',
  api_token_created: 'created an API token',
  api_token_revoked: 'revoked an API token',
  // Entries written before personal tokens, under their old names.
  api_token_create: 'created an API token',
  api_token_revoke: 'revoked an API token',
  webhook_create: 'added a webhook',
  webhook_pause: 'paused a webhook',
  webhook_resume: 'resumed a webhook',
  webhook_delete: 'deleted a webhook',
  webhook_redeliver: 'redelivered a webhook message',
  session_end: 'signed out a session of',
  session_end_others: 'signed out every other session of',
  sign_in: 'signed in',
  identity_linked: 'linked a sign-in provider',
  sign_in_provider_saved: 'saved a sign-in provider',
  sign_in_provider_deleted: 'removed a sign-in provider',
  staff_sign_in_policy: 'changed how staff sign in',
  two_factor_enabled: 'turned on two-factor for',
  two_factor_disabled: 'turned off two-factor for',
  two_factor_reset: 'reset the two-factor of',
  recovery_codes_regenerated: 'made new recovery codes for',
  recovery_code_used: 'signed in with a recovery code as',
  staff_two_factor: 'changed whether staff must use two-factor',
};

/** The part of an entry's data worth a line in the log: how someone signed in, which provider. */
export function logEntryDetail(data: string | null): string | null {
  if (!data) return null;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (parsed.method === 'password') return 'with a password';
  if (typeof parsed.provider === 'string')
    return typeof parsed.label === 'string'
      ? `${parsed.label} (${parsed.provider})`
      : `with ${parsed.provider}`;
  if (typeof parsed.providerOnly === 'boolean')
    return parsed.providerOnly ? 'provider only' : 'passwords allowed';
  return null;
}
