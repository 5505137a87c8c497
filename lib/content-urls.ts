// Where content lives on the site. Every link to a question, answer, comment or article is built
// here, and links people paste back (into the link picker, or a duplicate's target) are read here;
// the URLs themselves are promised in DESIGN.md and must not change.

type ThreadRef = { id: number; slug?: string | null };

export function questionPath(thread: ThreadRef): string {
  return thread.slug ? `/questions/${thread.id}/${thread.slug}` : `/questions/${thread.id}`;
}

/** A page under a question: its edit form or its history. */
export function questionPagePath(threadId: number, page: 'edit' | 'revisions'): string {
  return `/questions/${threadId}/${page}`;
}

export function answerAnchor(postId: number): string {
  return `answer-${postId}`;
}

export function commentAnchor(commentId: number): string {
  return `comment-${commentId}`;
}

/** An answer on its question's page (the question itself when the answer is not known). */
export function answerPath(thread: ThreadRef, postId: number | null): string {
  return postId === null ? questionPath(thread) : `${questionPath(thread)}#${answerAnchor(postId)}`;
}

export function commentPath(thread: ThreadRef, commentId: number): string {
  return `${questionPath(thread)}#${commentAnchor(commentId)}`;
}

export function articlePath(slug: string): string {
  return `/kb/${slug}`;
}

export type ContentReference =
  { type: 'thread'; id: number } | { type: 'post'; id: number } | { type: 'article'; slug: string };

/**
 * What a pasted link of ours names: `/questions/12/…#answer-34` (an answer), `/questions/12/…`
 * (a question) or `/kb/slug` (an article), with or without the site's address in front.
 */
export function parseContentUrl(text: string): ContentReference | null {
  const value = text.trim();
  const answer = /\/questions\/\d{1,12}[^#\s]*#answer-(\d{1,12})/.exec(value);
  if (answer) return { type: 'post', id: Number(answer[1]) };
  const thread = /\/questions\/(\d{1,12})/.exec(value);
  if (thread) return { type: 'thread', id: Number(thread[1]) };
  const article = /\/kb\/([a-z0-9-]{1,100})/.exec(value);
  if (article?.[1]) return { type: 'article', slug: article[1] };
  return null;
}

/** The Atom feeds: newest questions, knowledge base articles, one category's, one tag's. */
export const feedPaths = {
  questions: '/feeds/questions',
  articles: '/feeds/articles',
  category: (slug: string) => `/feeds/categories/${encodeURIComponent(slug)}`,
  tag: (name: string) => `/feeds/tags/${encodeURIComponent(name)}`,
};
