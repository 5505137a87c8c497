/**
 * A macro's placeholders: `{{requester.first_name}}` and the like are filled in for the ticket
 * the macro is applied to; `{{article:12}}` becomes a Markdown link to article 12. Nothing else
 * in double braces is read, and an unknown name is an error when the macro is saved.
 */

export const placeholderNames = [
  'requester.first_name',
  'requester.name',
  'ticket.id',
  'ticket.subject',
  'agent.first_name',
  'organization.name',
] as const;
export type PlaceholderName = (typeof placeholderNames)[number];

export type PlaceholderValues = Record<PlaceholderName, string> & {
  /** Title and path of each article a macro names. */
  articles: Map<number, { title: string; path: string }>;
};

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;
const articleReference = /^article:([1-9]\d{0,11})$/;

/** The placeholders in `body` that are not ours, each once, in order. */
export function unknownPlaceholders(body: string): string[] {
  const unknown = new Set<string>();
  for (const [, name = ''] of body.matchAll(placeholder)) {
    if (!(placeholderNames as readonly string[]).includes(name) && !articleReference.test(name))
      unknown.add(name);
  }
  return [...unknown];
}

/** The ids of the articles `body` links with `{{article:<id>}}`. */
export function articleIdsIn(body: string): number[] {
  const ids = new Set<number>();
  for (const [, name = ''] of body.matchAll(placeholder)) {
    const match = articleReference.exec(name);
    if (match) ids.add(Number(match[1]));
  }
  return [...ids];
}

/** The first word of a display name: "Grace Miller" → "Grace"; a username stays whole. */
export function firstNameOf(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? '';
}

/** Escapes what Markdown would read as formatting in a value taken from a person. */
function markdownText(value: string): string {
  return value.replace(/[\\`*_[\]<>#|~]/g, (character) => `\\${character}`);
}

/** `body` with every placeholder filled; an article that no longer exists becomes its id. */
export function fillPlaceholders(body: string, values: PlaceholderValues): string {
  return body.replace(placeholder, (whole, name: string) => {
    const article = articleReference.exec(name);
    if (article) {
      const found = values.articles.get(Number(article[1]));
      return found ? `[${markdownText(found.title)}](${found.path})` : `article ${article[1]}`;
    }
    if ((placeholderNames as readonly string[]).includes(name))
      return markdownText(values[name as PlaceholderName]);
    return whole;
  });
}
