import type { Database } from '#db/client';
import { meaningfulWords } from '#search/fts';

/** Earlier tickets whose subjects share the most meaningful words with this one. */
export async function similarTickets(db: Database, ticketId: number, subject: string, limit = 5) {
  const words = [...new Set(meaningfulWords(subject))]
    .filter((word) => word.length > 2)
    .slice(0, 6);
  if (words.length === 0) return [];
  const candidates = await db
    .selectFrom('tickets')
    .select(['id', 'subject', 'status', 'created_at'])
    .where('id', '!=', ticketId)
    .where((eb) =>
      // lower(): PostgreSQL's like tells cases apart, SQLite's does not.
      eb.or(
        words.map((word) =>
          eb(eb.fn('lower', ['subject']), 'like', `%${word.replace(/[%_\\]/g, '')}%`),
        ),
      ),
    )
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return candidates
    .map((candidate) => {
      const lower = candidate.subject.toLowerCase();
      return { ...candidate, shared: words.filter((word) => lower.includes(word)).length };
    })
    .sort((a, b) => b.shared - a.shared || b.id - a.id)
    .slice(0, limit);
}
