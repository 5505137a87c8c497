import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export const roles = ['member', 'agent', 'moderator', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Dates are ISO-8601 strings: that is what SQLite hands back, and they sort correctly. */
type IsoDate = string;

export type OrganizationsTable = {
  id: Generated<number>;
  name: string;
  created_at: IsoDate;
};

export type OrganizationDomainsTable = {
  domain: string;
  organization_id: number;
};

export type UsersTable = {
  id: Generated<number>;
  email: string;
  username: string;
  display_name: string;
  /** null for accounts that cannot sign in (imported, not yet claimed). */
  password_hash: string | null;
  role: Generated<Role>;
  organization_id: number | null;
  reputation: Generated<number>;
  suspended_until: IsoDate | null;
  suspended_reason: string | null;
  silenced_until: IsoDate | null;
  silenced_reason: string | null;
  spammer_at: IsoDate | null;
  /** When the owner confirmed the address; null: no notification mail is sent to it. */
  email_verified_at: IsoDate | null;
  /** When mail to the address last bounced; cleared when it is verified again. */
  email_bounced_at: Generated<IsoDate | null>;
  created_at: IsoDate;
};

export type SessionsTable = {
  /** SHA-256 (hex) of the session token in the cookie, never the token itself. */
  id: string;
  user_id: number;
  expires_at: IsoDate;
  /** When it was started and last used, and from where (null for sessions from before). */
  created_at: IsoDate | null;
  last_seen_at: IsoDate | null;
  /** The browser's User-Agent at sign-in, and the address it signed in from. */
  user_agent: string | null;
  ip_address: string | null;
  /** The provider (slug) that signed this session in; null: a password or a mailed link. */
  sign_in_provider: string | null;
};

/** A person's TOTP secret; unconfirmed (confirmed_at null) until they type a code from it. */
export type TwoFactorTable = {
  user_id: number;
  /** base32, as the authenticator app was given it. */
  secret: string;
  created_at: IsoDate;
  confirmed_at: IsoDate | null;
  /** The 30-second step of the last code used: that step and older ones are refused. */
  last_used_step: number | null;
};

/** Ten single-use recovery codes per person, as SHA-256 hashes. */
export type TwoFactorRecoveryCodesTable = {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: IsoDate;
  used_at: IsoDate | null;
};

/** Browsers that skip the code for 30 days; the cookie's token is kept only as its SHA-256. */
export type TwoFactorDevicesTable = {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  user_agent: string | null;
  created_at: IsoDate;
  expires_at: IsoDate;
};

/** A right password waiting for its second factor (10 minutes), by the SHA-256 of its cookie. */
export type TwoFactorPendingTable = {
  token_hash: string;
  user_id: number;
  redirect_to: string;
  created_at: IsoDate;
  expires_at: IsoDate;
};

export type CategoriesTable = {
  id: Generated<number>;
  name: string;
  slug: string;
  description: Generated<string>;
  position: Generated<number>;
  visibility: Generated<Visibility>;
  created_at: IsoDate;
};

/** Who may see a category or an article (app/models/visibility.server.ts holds the rule). */
export const visibilities = ['public', 'signed_in', 'audience', 'internal'] as const;
export type Visibility = (typeof visibilities)[number];

export type GroupsTable = {
  id: Generated<number>;
  name: string;
  description: string;
  join_policy: 'closed' | 'request';
  created_at: IsoDate;
};

export type GroupMembersTable = {
  group_id: number;
  user_id: number;
  manager: 0 | 1;
  added_by: number | null;
  created_at: IsoDate;
};

export type GroupOrganizationsTable = { group_id: number; organization_id: number };

export type GroupDomainsTable = { group_id: number; domain: string };

export type GroupJoinRequestsTable = {
  id: Generated<number>;
  group_id: number;
  user_id: number;
  message: string;
  status: 'pending' | 'approved' | 'declined';
  created_at: IsoDate;
  handled_by: number | null;
  handled_at: IsoDate | null;
};

export type AudiencesTable = {
  id: Generated<number>;
  subject_type: 'category' | 'article';
  subject_id: number;
  group_id: number | null;
  organization_id: number | null;
};

/** Rate-limit counters (sign-in attempts, account mails) per key, each in a fixed window. */
export type RateLimitCountersTable = {
  key: string;
  count: number;
  window_ends_at: IsoDate;
};

export const accountTokenPurposes = [
  'verify_email',
  'password_reset',
  'email_change',
  'account_claim',
] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

/** Links sent by mail; only the SHA-256 of the token is kept. */
export const inboundOutcomes = [
  'received',
  'ticket',
  'ticket_reply',
  'answer',
  'comment',
  'held',
  'ignored',
  'rejected',
] as const;
export type InboundOutcome = (typeof inboundOutcomes)[number];

export type InboundMailTable = {
  id: Generated<number>;
  received_via: 'smtp' | 'http';
  envelope_from: string | null;
  /** JSON array of the addresses the mail was delivered to. */
  recipients: string;
  from_address: string | null;
  subject: Generated<string>;
  message_id: string | null;
  size: number;
  raw: Buffer;
  outcome: InboundOutcome;
  reason: string | null;
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  user_id: number | null;
  ticket_id: number | null;
  thread_id: number | null;
  received_at: IsoDate;
  /** The SMTP client that handed the message over (null for the HTTP endpoint). */
  client_ip: string | null;
  client_helo: string | null;
};

export type AccountTokensTable = {
  id: Generated<number>;
  token_hash: string;
  purpose: AccountTokenPurpose;
  user_id: number;
  /** The address the link was sent to (for an email change, the new one). */
  email: string;
  created_at: IsoDate;
  expires_at: IsoDate;
  used_at: IsoDate | null;
};

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Category = Selectable<CategoriesTable>;
export type Organization = Selectable<OrganizationsTable>;

export const journeyStages = [
  'evaluating',
  'purchasing',
  'onboarding',
  'first_success',
  'adoption',
  'advocacy',
] as const;
export type JourneyStage = (typeof journeyStages)[number];

export const threadStatuses = ['open', 'answered', 'closed', 'locked'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

/** Why content is out of public view (deleted_at is set); null on old rows means deleted. */
export const moderationStates = ['deleted', 'hidden', 'awaiting_review', 'spam', 'merged'] as const;
export type ModerationState = (typeof moderationStates)[number];

export type TagsTable = { id: Generated<number>; name: string; created_at: IsoDate };

export type ThreadsTable = {
  id: Generated<number>;
  title: string;
  slug: string;
  body_md: string;
  body_html: string;
  author_id: number;
  category_id: number | null;
  status: Generated<ThreadStatus>;
  accepted_post_id: number | null;
  duplicate_of: number | null;
  journey_stage: JourneyStage | null;
  views: Generated<number>;
  score: Generated<number>;
  answer_count: Generated<number>;
  created_at: IsoDate;
  updated_at: IsoDate;
  last_activity_at: IsoDate;
  deleted_at: IsoDate | null;
  deleted_by: number | null;
  moderation_state: ModerationState | null;
  closed_reason: string | null;
  pinned_at: IsoDate | null;
  merged_into: number | null;
};

export type ThreadTagsTable = { thread_id: number; tag_id: number };

export type PostsTable = {
  id: Generated<number>;
  thread_id: number;
  author_id: number;
  body_md: string;
  body_html: string;
  score: Generated<number>;
  created_at: IsoDate;
  updated_at: IsoDate;
  deleted_at: IsoDate | null;
  deleted_by: number | null;
  moderation_state: ModerationState | null;
};

export type CommentsTable = {
  id: Generated<number>;
  thread_id: number;
  post_id: number | null;
  author_id: number;
  body_md: string;
  body_html: string;
  created_at: IsoDate;
  deleted_at: IsoDate | null;
  moderation_state: ModerationState | null;
};

export type VoteTarget = 'thread' | 'post';

export type VotesTable = {
  user_id: number;
  target_type: VoteTarget;
  target_id: number;
  value: -1 | 1;
  created_at: IsoDate;
};

export type RevisionsTable = {
  id: Generated<number>;
  target_type: 'thread' | 'post' | 'article';
  target_id: number;
  number: number;
  author_id: number;
  title: string | null;
  body_md: string;
  /** Space-separated tag names at this revision (threads only). */
  tags: string | null;
  reason: string | null;
  created_at: IsoDate;
};

export type ThreadViewsTable = { thread_id: number; visitor: string; viewed_at: IsoDate };

export const eventTypes = [
  'question_asked',
  'answer_posted',
  'answer_accepted',
  'self_resolved',
  'vote',
  'article_view',
  'article_helpful',
  'article_promoted',
  'article_published',
  'search',
  'search_click',
  'suggestion_opened',
  'ticket_created',
  'ticket_solved',
  'escalation',
  'deflection',
] as const;
export type EventType = (typeof eventTypes)[number];

export type EventsTable = {
  id: Generated<number>;
  type: EventType;
  user_id: number | null;
  visitor_id: string | null;
  thread_id: number | null;
  post_id: number | null;
  article_id: number | null;
  ticket_id: number | null;
  /** JSON with details that differ per type. */
  data: string | null;
  created_at: IsoDate;
};

export type NotificationType = 'answer' | 'comment' | 'accepted' | 'mention' | 'ticket';

export type NotificationsTable = {
  id: Generated<number>;
  user_id: number;
  type: NotificationType;
  actor_id: number | null;
  /** A notification points at a thread (with an answer or comment) or at a ticket. */
  thread_id: number | null;
  post_id: number | null;
  comment_id: number | null;
  ticket_id: number | null;
  read_at: IsoDate | null;
  created_at: IsoDate;
};

export const articleStatuses = ['draft', 'in_review', 'published', 'archived'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

export type ArticlesTable = {
  id: Generated<number>;
  slug: string;
  title: string;
  body_md: string;
  body_html: string;
  status: Generated<ArticleStatus>;
  visibility: Generated<Visibility>;
  category_id: number | null;
  journey_stage: JourneyStage | null;
  author_id: number;
  owner_id: number;
  source_post_id: number | null;
  views: Generated<number>;
  review_due_at: IsoDate | null;
  verified_at: IsoDate | null;
  verified_by: number | null;
  published_at: IsoDate | null;
  /** Set while an article is hidden pending review (flags). */
  hidden_at: IsoDate | null;
  status_changed_at: IsoDate;
  status_changed_by: number;
  created_at: IsoDate;
  updated_at: IsoDate;
};

export type ArticleTagsTable = { article_id: number; tag_id: number };
export type ArticleRedirectsTable = { slug: string; article_id: number };

export type ArticleStatusChangesTable = {
  id: Generated<number>;
  article_id: number;
  from_status: ArticleStatus | null;
  to_status: ArticleStatus;
  user_id: number;
  created_at: IsoDate;
};

export const feedbackReasons = ['outdated', 'unclear', 'did_not_solve', 'other'] as const;
export type FeedbackReason = (typeof feedbackReasons)[number];

export type ArticleFeedbackTable = {
  article_id: number;
  reader: string;
  user_id: number | null;
  helpful: 0 | 1;
  reason: FeedbackReason | null;
  comment: string | null;
  created_at: IsoDate;
  updated_at: IsoDate;
};

export type ArticleViewsTable = { article_id: number; visitor: string; viewed_at: IsoDate };

export type SearchEntity = 'thread' | 'article';

export type SearchOutboxTable = {
  id: Generated<number>;
  entity_type: SearchEntity;
  entity_id: number;
  created_at: IsoDate;
  attempts: Generated<number>;
  last_error: string | null;
};

/** An OpenID Connect provider people may sign in with (docs/decisions/023). */
export type SignInProvidersTable = {
  id: Generated<number>;
  slug: string;
  label: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  /** Space-separated roles whose accounts may sign in with it. */
  roles: string;
  new_account_role: Role;
  create_accounts: 0 | 1;
  /** Space-separated email domains; empty: any. */
  email_domains: string;
  enabled: 0 | 1;
  created_at: IsoDate;
  updated_at: IsoDate;
};

/** A provider's account ("sub") that signs a person in here. */
export type UserIdentitiesTable = {
  id: Generated<number>;
  user_id: number;
  /** The provider's slug. */
  provider: string;
  subject: string;
  email: string | null;
  created_at: IsoDate;
  last_sign_in_at: IsoDate | null;
};

/** A sign-in gone to a provider and not yet back, or back and waiting for the account's proof. */
export type OidcSignInsTable = {
  state_hash: string;
  provider: string;
  code_verifier: string;
  nonce: string;
  redirect_to: string;
  expires_at: IsoDate;
  link_user_id: number | null;
  link_subject: string | null;
  link_email: string | null;
};

export type SettingsTable = { key: string; value: string; updated_at: IsoDate };

/** One counter per cached page, bumped by triggers whenever what the page shows changes. */
export type PageVersionsTable = { page: string; version: number };

/** FTS5 table: every column is text as far as SQLite is concerned. */
export type SearchFtsTable = {
  rowid: Generated<number>;
  doc_key: string;
  type: SearchEntity;
  title: string;
  tags: string;
  body: string;
  answers: string;
  category_slug: string;
  journey_stage: string;
  answered: string;
  created_at: string;
  score: number;
  /** Keys that open the page and its category, each with a space either side: ' public '. */
  audience: string;
  category_audience: string;
};

export const ticketStatuses = ['new', 'open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketSources = ['web', 'article', 'thread', 'escalation', 'api', 'email'] as const;
export type TicketSource = (typeof ticketSources)[number];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

export type TicketsTable = {
  id: Generated<number>;
  subject: string;
  body_md: string;
  body_html: string;
  requester_id: number;
  organization_id: number | null;
  category_id: number | null;
  status: Generated<TicketStatus>;
  assignee_id: number | null;
  source: TicketSource;
  external_id: string | null;
  external_url: string | null;
  created_at: IsoDate;
  updated_at: IsoDate;
  solved_at: IsoDate | null;
  priority: Generated<TicketPriority>;
  /** The first public reply by staff. */
  first_responded_at: IsoDate | null;
  /** From the SLA policy of its priority, in business hours; null: no target. */
  first_response_due_at: IsoDate | null;
  resolution_due_at: IsoDate | null;
  /** Set when this ticket was merged into another: its page and API answer that one. */
  merged_into_id: number | null;
};

export const slaMetrics = ['first_response', 'resolution'] as const;
export type SlaMetric = (typeof slaMetrics)[number];

export type SlaPoliciesTable = {
  priority: TicketPriority;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  updated_at: IsoDate;
};

export type SlaBreachesTable = {
  id: Generated<number>;
  ticket_id: number;
  metric: SlaMetric;
  due_at: IsoDate;
  recorded_at: IsoDate;
};

export const satisfactionRatings = ['good', 'bad'] as const;
export type SatisfactionRating = (typeof satisfactionRatings)[number];

export type SatisfactionRatingsTable = {
  ticket_id: number;
  /** Null until the requester answers. */
  rating: SatisfactionRating | null;
  comment: string | null;
  agent_id: number | null;
  category_id: number | null;
  resolution_kind: ResolutionKind | null;
  requested_at: IsoDate;
  rated_at: IsoDate | null;
};

export const ticketFieldTypes = ['text', 'number', 'dropdown', 'checkbox', 'date'] as const;
export type TicketFieldType = (typeof ticketFieldTypes)[number];

export type TicketFieldsTable = {
  id: Generated<number>;
  /** Names the field in the API, webhooks, CSV columns and desk filters: `plan`, `order_number`. */
  key: string;
  label: string;
  type: TicketFieldType;
  /** A dropdown's choices, one per line. */
  options: Generated<string>;
  hint: Generated<string>;
  customer_visible: Generated<0 | 1>;
  required_for_customer: Generated<0 | 1>;
  required_to_solve: Generated<0 | 1>;
  position: number;
  created_at: IsoDate;
  updated_at: IsoDate;
  archived_at: IsoDate | null;
};

/** A field's value on one ticket, as text: '42', 'Pro', '1' (checkbox), '2026-12-31' (date). */
export type TicketFieldValuesTable = {
  ticket_id: number;
  field_id: number;
  value: string;
  updated_at: IsoDate;
};

export const macroActionKinds = ['status', 'priority', 'assign', 'link', 'field', 'solve'] as const;
export type MacroActionKind = (typeof macroActionKinds)[number];

export type MacrosTable = {
  id: Generated<number>;
  title: string;
  body_md: string;
  /** Null: shared with the team; else one agent's own. */
  owner_id: number | null;
  created_by: number | null;
  created_at: IsoDate;
  updated_at: IsoDate;
  archived_at: IsoDate | null;
};

/**
 * One action, in order: `status` (value open|pending), `priority` (value), `assign` (value: a
 * user id, 'me' or 'nobody'), `link` (target_type article|thread, target_id), `field` (target_type
 * field, target_id the field, value), `solve` (with the
 * macro's linked article as what resolved it).
 */
export type MacroActionsTable = {
  id: Generated<number>;
  macro_id: number;
  position: number;
  kind: MacroActionKind;
  value: string | null;
  target_type: 'article' | 'thread' | 'field' | null;
  target_id: number | null;
};

export type MacroUsesTable = {
  id: Generated<number>;
  macro_id: number;
  ticket_id: number;
  user_id: number | null;
  created_at: IsoDate;
};

export type TicketMessageKind = 'reply' | 'note';

export type TicketMessagesTable = {
  id: Generated<number>;
  ticket_id: number;
  author_id: number;
  kind: TicketMessageKind;
  body_md: string;
  body_html: string;
  created_at: IsoDate;
};

export type LinkTarget = 'thread' | 'post' | 'article';
export type LinkRelation = 'filed_from' | 'escalated_from' | 'related';

export type TicketLinksTable = {
  id: Generated<number>;
  ticket_id: number;
  target_type: LinkTarget;
  target_id: number;
  relation: LinkRelation;
  created_by: number | null;
  created_at: IsoDate;
};

export const resolutionKinds = ['article', 'thread', 'none', 'other', 'known_issue'] as const;
export type ResolutionKind = (typeof resolutionKinds)[number];

export type ResolutionsTable = {
  ticket_id: number;
  kind: ResolutionKind;
  article_id: number | null;
  thread_id: number | null;
  post_id: number | null;
  note: string | null;
  resolved_by: number | null;
  created_at: IsoDate;
  /** For `known_issue`: the problem whose fix solved it. */
  problem_id: number | null;
};

export const problemStates = [
  'investigating',
  'identified',
  'fix_in_progress',
  'fixed',
  'wont_fix',
] as const;
export type ProblemState = (typeof problemStates)[number];

/** A known issue: one defect behind many tickets and threads (docs/decisions/030). */
export type ProblemsTable = {
  id: Generated<number>;
  title: string;
  /** For the team. */
  description_md: Generated<string>;
  /** What customers read, when the problem is public. */
  public_summary_md: Generated<string>;
  category_id: number | null;
  state: ProblemState;
  public: Generated<0 | 1>;
  workaround_article_id: number | null;
  tracker_url: string | null;
  tracker_id: string | null;
  created_by: number | null;
  created_at: IsoDate;
  updated_at: IsoDate;
  fixed_at: IsoDate | null;
};

export type ProblemLinkTarget = 'ticket' | 'thread' | 'post';

/** What reports a problem; a ticket, thread or answer belongs to one problem at a time. */
export type ProblemLinksTable = {
  id: Generated<number>;
  problem_id: number;
  target_type: ProblemLinkTarget;
  target_id: number;
  created_by: number | null;
  created_at: IsoDate;
};

/** "This affects me too". */
export type ProblemFollowersTable = {
  problem_id: number;
  user_id: number;
  created_at: IsoDate;
};

export type ProblemUpdatesTable = {
  id: Generated<number>;
  problem_id: number;
  state: ProblemState;
  note_md: Generated<string>;
  /** Shown on the public page (when the problem is public). */
  public: Generated<0 | 1>;
  created_by: number | null;
  created_at: IsoDate;
};

export const apiScopes = ['read', 'tickets:write', 'mail:receive'] as const;
export type ApiScope = (typeof apiScopes)[number];

export type ApiTokensTable = {
  id: Generated<number>;
  name: string;
  token_hash: string;
  prefix: string;
  /** Space-separated scopes. */
  scopes: string;
  created_by: number;
  /**
   * The person a personal token acts as (with their live role and standing); null for a site
   * token an admin made, which acts with its scopes alone.
   */
  owner_id: Generated<number | null>;
  created_at: IsoDate;
  last_used_at: IsoDate | null;
  revoked_at: IsoDate | null;
};

export const webhookEvents = [
  'thread.answered',
  'thread.accepted',
  'ticket.created',
  'ticket.solved',
  'article.published',
  'problem.updated',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export type WebhooksTable = {
  id: Generated<number>;
  url: string;
  description: Generated<string>;
  secret: string;
  /** Space-separated event names. */
  events: string;
  active: Generated<0 | 1>;
  created_by: number;
  created_at: IsoDate;
};

export type WebhookDeliveriesTable = {
  id: Generated<number>;
  webhook_id: number;
  message_id: string;
  event_type: WebhookEvent;
  payload: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: IsoDate | null;
  /** While a worker holds the row; a lease that runs out frees it for another worker. */
  claimed_until: IsoDate | null;
  created_at: IsoDate;
  delivered_at: IsoDate | null;
};

export type WebhookAttemptsTable = {
  id: Generated<number>;
  delivery_id: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: IsoDate;
};

export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export type MailOutboxTable = {
  id: Generated<number>;
  kind: string;
  to_address: string;
  to_name: string | null;
  user_id: number | null;
  subject: string;
  text_body: string;
  html_body: string;
  /** Groups one ticket's or question's mails into one conversation, e.g. `ticket-12`. */
  thread_key: string | null;
  /**
   * Where a reply goes when not to the conversation of thread_key: `thread-comment-34` (a comment
   * on question 34), `post-comment-56` (a comment on answer 56).
   */
  reply_key: string | null;
  /** `<ticket-12.msg-345@host>`: fixed when the row is written, the same on every attempt. */
  message_id: string;
  in_reply_to: string | null;
  unsubscribe_user_id: number | null;
  unsubscribe_kind: string | null;
  status: Generated<MailStatus>;
  skip_reason: string | null;
  /** The SMTP server's answer (or the connection error) of the last failed attempt. */
  last_error: string | null;
  attempts: Generated<number>;
  next_attempt_at: IsoDate | null;
  claimed_until: IsoDate | null;
  created_at: IsoDate;
  sent_at: IsoDate | null;
};

export type MailAttemptsTable = {
  id: Generated<number>;
  mail_id: number;
  ok: 0 | 1;
  response: string | null;
  duration_ms: number;
  created_at: IsoDate;
};

export type MailDelivery = 'instant' | 'digest' | 'never';

export type NotificationPreferencesTable = {
  user_id: number;
  kind: string;
  delivery: MailDelivery;
  updated_at: IsoDate;
};

export type MailDigestsTable = {
  user_id: number;
  frequency: 'daily' | 'weekly';
  last_sent_at: IsoDate | null;
};

export type MailDigestItemsTable = {
  id: Generated<number>;
  user_id: number;
  kind: string;
  title: string;
  url: string;
  created_at: IsoDate;
};

export type CategoryFollowsTable = { user_id: number; category_id: number; created_at: IsoDate };

export type ThreadWatchesTable = {
  user_id: number;
  thread_id: number;
  watching: 0 | 1;
  updated_at: IsoDate;
};

export type ImportRecordKind = 'user' | 'thread' | 'post' | 'comment' | 'revision';

export type ImportRecordsTable = {
  source: string;
  kind: ImportRecordKind;
  external_id: string;
  local_id: number;
  content_hash: string;
  url: string | null;
  author_name: string | null;
  license: string | null;
  base_score: Generated<number>;
  imported_at: IsoDate;
};

export type ThreadLinkRelation = 'duplicate' | 'related';

export type ThreadLinksTable = {
  thread_id: number;
  linked_thread_id: number;
  relation: ThreadLinkRelation;
  created_at: IsoDate;
};

export type ImportRunsTable = {
  id: Generated<number>;
  source: string;
  path: string;
  started_at: IsoDate;
  finished_at: IsoDate | null;
  /** JSON: counts and reported rows. */
  summary: string | null;
};

export const flagTargets = ['thread', 'post', 'comment', 'article'] as const;
export type FlagTarget = (typeof flagTargets)[number];
export const flagReasons = ['spam', 'rude', 'off_topic', 'needs_improvement', 'other'] as const;
export type FlagReason = (typeof flagReasons)[number];

export type FlagsTable = {
  id: Generated<number>;
  target_type: FlagTarget;
  target_id: number;
  user_id: number;
  reason: FlagReason;
  text: string | null;
  status: Generated<'open' | 'dismissed' | 'upheld'>;
  handled_by: number | null;
  handled_at: IsoDate | null;
  created_at: IsoDate;
};

export type ModerationLogTable = {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string | null;
  target_id: number | null;
  target_user_id: number | null;
  reason: string | null;
  /** JSON with details that differ per action. */
  data: string | null;
  created_at: IsoDate;
};

export type AnalyticsRollupStateTable = {
  name: string;
  last_event_id: number;
  updated_at: IsoDate;
};

/** A counter per metric, UTC day (YYYY-MM-DD) and subject (an article, thread or stage id, or 0). */
export type AnalyticsDailyTable = { metric: string; day: string; subject: number; n: number };

export type AnalyticsQueryDaysTable = {
  day: string;
  query: string;
  searches: number;
  zero_results: number;
  clicked: number;
};

/** week is the Monday (YYYY-MM-DD, UTC) the week starts on. */
export type AnalyticsWeekReadersTable = { week: string; reader: string };
export type AnalyticsWeeksTable = { week: string; visitors: number };

export type AnalyticsOpenSearchesTable = {
  id: Generated<number>;
  reader: string;
  query: string;
  day: string;
  created_at: IsoDate;
  zero: 0 | 1;
};

export type AnalyticsTicketReadsTable = {
  ticket_id: number;
  article_id: number;
  filed_at: IsoDate;
};

export const gapKinds = ['missing_content', 'promote_answer', 'review_article'] as const;
export type GapKind = (typeof gapKinds)[number];
export const gapStatuses = ['open', 'done', 'dismissed'] as const;
export type GapStatus = (typeof gapStatuses)[number];

export type ContentGapsTable = {
  id: Generated<number>;
  key: string;
  kind: GapKind;
  title: string;
  terms: Generated<string>;
  status: Generated<GapStatus>;
  reason: string | null;
  article_id: number | null;
  /** JSON: the draft's title, body, category, stage and tags when the agent chose to write it. */
  prefill: string | null;
  created_by: number | null;
  created_at: IsoDate;
  updated_at: IsoDate;
  done_at: IsoDate | null;
  done_by: number | null;
  dismissed_at: IsoDate | null;
  dismissed_by: number | null;
};

export type UploadUseTarget = 'thread' | 'post' | 'article' | 'ticket' | 'ticket_message';

export type UploadsTable = {
  id: string;
  owner_id: number;
  name: string;
  /** The media type judged from the file's bytes. */
  type: string;
  bytes: number;
  sha256: string;
  width: number | null;
  height: number | null;
  display_sha256: string | null;
  display_width: number | null;
  display_height: number | null;
  source_sha256: string;
  created_at: IsoDate;
};

export type UploadUsesTable = {
  upload_id: string;
  target_type: UploadUseTarget;
  target_id: number;
};

export type DB = {
  organizations: OrganizationsTable;
  organization_domains: OrganizationDomainsTable;
  users: UsersTable;
  sessions: SessionsTable;
  two_factor: TwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  two_factor_devices: TwoFactorDevicesTable;
  two_factor_pending: TwoFactorPendingTable;
  categories: CategoriesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_organizations: GroupOrganizationsTable;
  group_domains: GroupDomainsTable;
  group_join_requests: GroupJoinRequestsTable;
  audiences: AudiencesTable;
  rate_limit_counters: RateLimitCountersTable;
  account_tokens: AccountTokensTable;
  inbound_mail: InboundMailTable;
  tags: TagsTable;
  threads: ThreadsTable;
  thread_tags: ThreadTagsTable;
  posts: PostsTable;
  comments: CommentsTable;
  votes: VotesTable;
  revisions: RevisionsTable;
  thread_views: ThreadViewsTable;
  events: EventsTable;
  notifications: NotificationsTable;
  articles: ArticlesTable;
  article_tags: ArticleTagsTable;
  article_redirects: ArticleRedirectsTable;
  article_status_changes: ArticleStatusChangesTable;
  article_feedback: ArticleFeedbackTable;
  article_views: ArticleViewsTable;
  search_outbox: SearchOutboxTable;
  macro_actions: MacroActionsTable;
  macro_uses: MacroUsesTable;
  macros: MacrosTable;
  satisfaction_ratings: SatisfactionRatingsTable;
  settings: SettingsTable;
  sla_breaches: SlaBreachesTable;
  sla_policies: SlaPoliciesTable;
  sign_in_providers: SignInProvidersTable;
  user_identities: UserIdentitiesTable;
  oidc_sign_ins: OidcSignInsTable;
  page_versions: PageVersionsTable;
  search_fts: SearchFtsTable;
  import_records: ImportRecordsTable;
  thread_links: ThreadLinksTable;
  import_runs: ImportRunsTable;
  ticket_field_values: TicketFieldValuesTable;
  ticket_fields: TicketFieldsTable;
  tickets: TicketsTable;
  problems: ProblemsTable;
  problem_links: ProblemLinksTable;
  problem_followers: ProblemFollowersTable;
  problem_updates: ProblemUpdatesTable;
  ticket_messages: TicketMessagesTable;
  ticket_links: TicketLinksTable;
  resolutions: ResolutionsTable;
  api_tokens: ApiTokensTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  mail_outbox: MailOutboxTable;
  mail_attempts: MailAttemptsTable;
  notification_preferences: NotificationPreferencesTable;
  mail_digests: MailDigestsTable;
  mail_digest_items: MailDigestItemsTable;
  category_follows: CategoryFollowsTable;
  thread_watches: ThreadWatchesTable;
  flags: FlagsTable;
  moderation_log: ModerationLogTable;
  analytics_rollup_state: AnalyticsRollupStateTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_query_days: AnalyticsQueryDaysTable;
  analytics_week_readers: AnalyticsWeekReadersTable;
  analytics_weeks: AnalyticsWeeksTable;
  analytics_open_searches: AnalyticsOpenSearchesTable;
  analytics_ticket_reads: AnalyticsTicketReadsTable;
  content_gaps: ContentGapsTable;
  uploads: UploadsTable;
  upload_uses: UploadUsesTable;
};
