import { answerAnchor } from '#lib/content-urls';

type Author = { author_name: string; author_username: string };
type Answer = Author & {
  id: number;
  body_html: string;
  score: number;
  created_at: string;
  deleted_at: string | null;
};
type Thread = Author & {
  title: string;
  description: string;
  body_html: string;
  score: number;
  answer_count: number;
  accepted_post_id: number | null;
  created_at: string;
};

function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The start of a text, cut at a word. The page itself carries every word of the question and its
 * answers; search engines need enough of each to show a snippet, and the full text would send
 * every answer a second time.
 */
function shortened(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut}…`;
}

const QUESTION_TEXT_LENGTH = 500;
const ANSWER_TEXT_LENGTH = 300;
/** Search results show a few answers; a thread of 30 would otherwise repeat them all. */
const SUGGESTED_ANSWERS = 5;

/**
 * schema.org QAPage for a thread, as search engines read it. Serialized for an inline
 * <script type="application/ld+json">, with "<" escaped so no text can close the tag. Texts are
 * shortened (see shortened), and besides the accepted answer only the highest-scored ones are
 * listed; answerCount still counts them all.
 */
export function qaPageJsonLd({
  thread,
  answers,
  url,
}: {
  thread: Thread;
  answers: Answer[];
  url: string;
}): string {
  const visible = answers.filter((answer) => !answer.deleted_at);
  const toAnswer = (answer: Answer) => ({
    '@type': 'Answer',
    text: shortened(plainText(answer.body_html), ANSWER_TEXT_LENGTH),
    dateCreated: answer.created_at,
    upvoteCount: answer.score,
    url: `${url}#${answerAnchor(answer.id)}`,
    author: {
      '@type': 'Person',
      name: answer.author_name,
      url: `/users/${encodeURIComponent(answer.author_username)}`,
    },
  });
  const accepted = visible.find((answer) => answer.id === thread.accepted_post_id);
  const document = {
    '@context': 'https://schema.org',
    '@type': 'QAPage',
    mainEntity: {
      '@type': 'Question',
      name: thread.title,
      text: shortened(plainText(thread.body_html), QUESTION_TEXT_LENGTH),
      answerCount: visible.length,
      upvoteCount: thread.score,
      dateCreated: thread.created_at,
      author: {
        '@type': 'Person',
        name: thread.author_name,
        url: `/users/${encodeURIComponent(thread.author_username)}`,
      },
      ...(accepted ? { acceptedAnswer: toAnswer(accepted) } : {}),
      suggestedAnswer: visible
        .filter((answer) => answer !== accepted)
        .sort((a, b) => b.score - a.score)
        .slice(0, SUGGESTED_ANSWERS)
        .map(toAnswer),
    },
  };
  return JSON.stringify(document).replace(/</g, '\\u003c');
}

type Article = {
  title: string;
  description: string;
  author_name: string;
  published_at: string | null;
  created_at: string;
  updated_at: string;
};

/** schema.org Article for a knowledge-base page, safe to inline in a script tag. */
export function articleJsonLd({ article, url }: { article: Article; url: string }): string {
  const document = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: article.title,
    description: article.description,
    datePublished: article.published_at ?? article.created_at,
    dateModified: article.updated_at,
    author: { '@type': 'Person', name: article.author_name },
    mainEntityOfPage: url,
  };
  return JSON.stringify(document).replace(/</g, '\\u003c');
}
