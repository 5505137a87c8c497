import type { ApiScope, ResolutionKind, TicketStatus, WebhookEvent } from '#db/schema';

/** Words for the support desk's states and choices, shared by the server and the pages. */

export const ticketStatusLabels: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Awaiting your reply',
  solved: 'Solved',
  closed: 'Closed',
};

/** What staff see: "pending" means waiting on the customer. */
export const agentStatusLabels: Record<TicketStatus, string> = {
  ...ticketStatusLabels,
  pending: 'Pending',
};

export type TicketView = 'new' | 'mine' | 'at_risk' | 'open' | 'pending' | 'solved';
export const ticketViews: { key: TicketView; label: string }[] = [
  { key: 'new', label: 'New' },
  { key: 'mine', label: 'Mine' },
  { key: 'at_risk', label: 'At risk' },
  { key: 'open', label: 'Open' },
  { key: 'pending', label: 'Pending' },
  { key: 'solved', label: 'Solved' },
];

export const resolutionKindLabels: Record<ResolutionKind, string> = {
  article: 'An existing article',
  thread: 'An existing thread or answer',
  none: 'Answered directly — no content exists',
  other: 'Something else',
  known_issue: 'A known issue, fixed',
};

export const apiScopeLabels: Record<ApiScope, string> = {
  read: 'Read tickets, threads, articles and search',
  'tickets:write': 'Create tickets, link content to them and resolve them',
  'mail:receive': 'Deliver received mail (POST /api/v1/inbound-email), for a mail relay',
};

/** What each scope lets a person's own token do, in the words of their role. */
export function personalScopeLabel(scope: ApiScope, staff: boolean): string {
  if (scope === 'read')
    return staff
      ? 'Read tickets, threads, articles, search and analytics'
      : 'Read questions, articles, search and your own requests';
  if (scope === 'tickets:write')
    return staff ? 'File, link and resolve tickets' : 'Send requests to support as you';
  return apiScopeLabels[scope];
}

export const webhookEventLabels: Record<WebhookEvent, string> = {
  'thread.answered': 'A question gets an answer',
  'thread.accepted': 'An answer is accepted',
  'ticket.created': 'A ticket is created',
  'ticket.solved': 'A ticket is solved',
  'article.published': 'An article is published',
  'problem.updated': 'A known issue changes (state, summary, links)',
};
