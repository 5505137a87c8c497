import type { InboundOutcome, Role } from '#db/schema';

/**
 * The kinds of notification mail a person can choose about (at /settings/notifications and by
 * one-click unsubscribe). Transactional mail (password reset, address verification) is not here:
 * it is always sent and carries no unsubscribe.
 */
export const notificationKinds = [
  'ticket_received',
  'ticket_reply',
  'ticket_solved',
  'known_issue',
  'agent_new_ticket',
  'agent_customer_reply',
  'agent_assigned',
  'answer',
  'comment',
  'mention',
  'accepted',
  'watched_answer',
  'digest',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationKindInfo: Record<
  NotificationKind,
  { label: string; staffOnly: boolean; digestible: boolean }
> = {
  ticket_received: {
    label: 'Confirmation when I file a request',
    staffOnly: false,
    digestible: false,
  },
  ticket_reply: {
    label: 'Replies from support on my requests',
    staffOnly: false,
    digestible: false,
  },
  ticket_solved: { label: 'My request was solved', staffOnly: false, digestible: false },
  known_issue: {
    label: 'A known issue that affects me is fixed',
    staffOnly: false,
    digestible: false,
  },
  agent_new_ticket: { label: 'New support requests', staffOnly: true, digestible: true },
  agent_customer_reply: {
    label: 'Customer replies on requests assigned to me',
    staffOnly: true,
    digestible: false,
  },
  agent_assigned: { label: 'A request was assigned to me', staffOnly: true, digestible: false },
  answer: { label: 'Answers to my questions', staffOnly: false, digestible: true },
  comment: { label: 'Comments on my posts', staffOnly: false, digestible: true },
  mention: { label: 'Someone mentions me', staffOnly: false, digestible: true },
  accepted: { label: 'My answer was accepted', staffOnly: false, digestible: true },
  watched_answer: { label: 'New answers in threads I watch', staffOnly: false, digestible: true },
  digest: { label: 'The digest', staffOnly: false, digestible: false },
};

export function isNotificationKind(value: string): value is NotificationKind {
  return (notificationKinds as readonly string[]).includes(value);
}

/** The kinds a person chooses about one by one (the digest has its own setting). */
export function kindsFor(role: Role): NotificationKind[] {
  return notificationKinds.filter(
    (kind) => kind !== 'digest' && (role !== 'member' || !notificationKindInfo[kind].staffOnly),
  );
}

/** The views of the admin's email log (/admin/email). */
export const emailLogFilters = ['all', 'sent', 'failed', 'skipped', 'queued'] as const;
export type EmailLogFilter = (typeof emailLogFilters)[number];

/** The received-mail log's filter: all, or one outcome of receiveMail. */
export const receivedFilters = [
  'all',
  'held',
  'ticket',
  'ticket_reply',
  'answer',
  'comment',
  'ignored',
  'rejected',
] as const satisfies readonly ('all' | InboundOutcome)[];
export type ReceivedFilter = (typeof receivedFilters)[number];

/** How /settings/notifications groups the kinds, in this order. */
export const notificationGroups: { title: string; kinds: NotificationKind[] }[] = [
  {
    title: 'Your support requests',
    kinds: ['ticket_received', 'ticket_reply', 'ticket_solved', 'known_issue'],
  },
  { title: 'For the team', kinds: ['agent_new_ticket', 'agent_customer_reply', 'agent_assigned'] },
  { title: 'Community', kinds: ['answer', 'comment', 'mention', 'accepted', 'watched_answer'] },
];
