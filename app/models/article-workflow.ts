import type { ArticleStatus, FeedbackReason } from '#db/schema';

// Shared by the server (which enforces it) and the pages (which offer the allowed moves).

/** The moves the workflow allows: draft → in review → published → archived, and back to work. */
export const articleTransitions: Record<ArticleStatus, ArticleStatus[]> = {
  draft: ['in_review', 'published'],
  in_review: ['draft', 'published'],
  published: ['archived'],
  archived: ['draft', 'published'],
};

export const articleStatusLabels: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  published: 'Published',
  archived: 'Archived',
};

export const feedbackReasonLabels: Record<FeedbackReason, string> = {
  outdated: 'It is outdated',
  unclear: 'It is unclear',
  did_not_solve: 'It didn’t solve my problem',
  other: 'Something else',
};
