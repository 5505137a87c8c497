import type { Visibility } from '#db/schema';

/**
 * The keys of the visibility rule (app/models/visibility.server.ts), here so that search
 * documents can carry them: a document lists the keys that open it, a viewer holds keys, and a
 * search shows a document when the viewer holds one of its own keys and one of its category's.
 */

export type AudienceRow = { group_id: number | null; organization_id: number | null };

/** Who asks a search: the keys they hold (viewerKeys), or 'all' for staff, who see everything. */
export type SearchAudience = string[] | 'all';

/** The keys that open one category or article: a viewer holding any of them may see it. */
export function contentKeys(visibility: Visibility, audience: AudienceRow[]): string[] {
  switch (visibility) {
    case 'public':
      return ['public'];
    case 'signed_in':
      return ['signed_in'];
    case 'internal':
      return ['staff'];
    case 'audience':
      return audience.flatMap((row) =>
        row.group_id !== null
          ? [`group:${row.group_id}`]
          : row.organization_id !== null
            ? [`org:${row.organization_id}`]
            : [],
      );
  }
}
