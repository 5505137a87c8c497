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
  created_at: IsoDate;
};

export type SessionsTable = {
  id: string;
  user_id: number;
  expires_at: IsoDate;
};

export type CategoriesTable = {
  id: Generated<number>;
  name: string;
  slug: string;
  description: Generated<string>;
  position: Generated<number>;
  created_at: IsoDate;
};

export type SignInFailuresTable = {
  id: Generated<number>;
  key: string;
  created_at: IsoDate;
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
  /** JSON with details that differ per type. */
  data: string | null;
  created_at: IsoDate;
};

export type NotificationType = 'answer' | 'comment' | 'accepted' | 'mention';

export type NotificationsTable = {
  id: Generated<number>;
  user_id: number;
  type: NotificationType;
  actor_id: number | null;
  thread_id: number;
  post_id: number | null;
  comment_id: number | null;
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

export type SettingsTable = { key: string; value: string; updated_at: IsoDate };

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
};

export type DB = {
  organizations: OrganizationsTable;
  organization_domains: OrganizationDomainsTable;
  users: UsersTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  sign_in_failures: SignInFailuresTable;
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
  settings: SettingsTable;
  search_fts: SearchFtsTable;
};
