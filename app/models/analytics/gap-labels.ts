import type { GapKind, ResolutionKind } from '#db/schema';

// Words for the gap dashboard, shared by the server and the pages.

export const rangeOptions = [
  { key: '7', label: '7 days' },
  { key: '30', label: '30 days' },
  { key: '90', label: '90 days' },
] as const;

export const gapKindLabels: Record<GapKind, string> = {
  missing_content: 'No content for a problem',
  promote_answer: 'An answer worth an article',
  review_article: 'An article that does not work',
};

export const gapActionLabels: Record<GapKind, string> = {
  missing_content: 'Write an article',
  promote_answer: 'Promote the answer',
  review_article: 'Review the article',
};

export type GapState = 'open' | 'in_progress' | 'done' | 'dismissed';

export const gapStateLabels: Record<GapState, string> = {
  open: 'Open',
  in_progress: 'Draft started',
  done: 'Done',
  dismissed: 'Dismissed',
};

export const resolutionChartLabels: Record<ResolutionKind, string> = {
  article: 'Article',
  thread: 'Thread',
  none: 'No content',
  other: 'Other',
  known_issue: 'Known issue',
};

/** The tables the dashboard can export as CSV (and the API serves as JSON). */
export const exportTables = {
  'self-service': 'Self-service score per week',
  'self-service-by-audience': 'What resolved or deflected, by audience',
  searches: 'Searches per day',
  'zero-result-queries': 'Top queries with no results',
  'low-click-queries': 'Queries searched often, rarely clicked',
  articles: 'Articles',
  resolutions: 'What resolved tickets',
  'satisfaction-by-resolution': 'Satisfaction by what resolved the ticket',
  'no-content-by-category': 'No-content resolutions by category',
  'no-content-by-tag': 'No-content resolutions by tag',
  'no-content-by-subject': 'No-content resolutions by similar subject',
  'unanswered-threads': 'Unanswered threads with many views',
  'promotion-candidates': 'Answers worth an article',
  stages: 'Journey stages',
  gaps: 'Content gap queue',
} as const;
export type ExportTable = keyof typeof exportTables;

export function isExportTable(name: string): name is ExportTable {
  return Object.hasOwn(exportTables, name);
}
