import { sql, type Expression, type SqlBool } from 'kysely';

/** Case-insensitive "contains" that treats %, _ and \ in the user's text literally. */
export function containsText(column: Expression<unknown>, text: string): Expression<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`;
}

export function isUniqueViolation(error: unknown): boolean {
  // SQLite's code, and PostgreSQL's SQLSTATE unique_violation.
  return (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === '23505')
  );
}

/**
 * Rows of threads, answers or comments a reader may see in a list: everything not removed, and
 * their own posts that wait for approval or are hidden pending review (see canSeeRemoved).
 */
export function visibleTo(table: 'threads' | 'posts' | 'comments', actor: { id: number } | null) {
  const deleted = sql.ref(`${table}.deleted_at`);
  if (!actor) return sql<SqlBool>`${deleted} is null`;
  return sql<SqlBool>`(${deleted} is null or (${sql.ref(`${table}.author_id`)} = ${actor.id} and ${sql.ref(`${table}.moderation_state`)} in ('awaiting_review', 'hidden')))`;
}
