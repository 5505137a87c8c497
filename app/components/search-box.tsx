import { Form, Link, useFetcher, useNavigate } from '@remix-run/react';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { loader as suggestLoader } from '~/routes/search.suggest';
import { Highlighted } from './highlighted';

export type Suggestion = { key: string; type: string; title: string; answered: boolean };

export type ProblemSuggestion = { id: number; title: string; state: string };

/** Suggestions for what is typed; with `known`, matching public known issues too. */
export function useSuggestions(query: string, delayMs = 200, known = false) {
  const fetcher = useFetcher<typeof suggestLoader>();
  const load = fetcher.load;
  const trimmed = query.trim();
  useEffect(() => {
    if (trimmed.length < 2) return;
    const params = new URLSearchParams({ q: trimmed, ...(known ? { known: '1' } : {}) });
    const timer = setTimeout(() => load(`/search/suggest?${params}`), delayMs);
    return () => clearTimeout(timer);
  }, [trimmed, load, delayMs, known]);
  const current = trimmed.length >= 2 && fetcher.data?.query === trimmed;
  const hits: Suggestion[] = current ? fetcher.data!.hits : [];
  const problems: ProblemSuggestion[] = current ? (fetcher.data!.problems ?? []) : [];
  return { hits, problems };
}

export function resultHref(
  hit: { key: string },
  position: number,
  query: string,
  from: 'suggest' | 'ask' | 'ticket',
) {
  return `/search/go?${new URLSearchParams({ key: hit.key, pos: String(position), q: query, from })}`;
}

const searchVariants = {
  header: {
    className: 'header-search',
    label: 'Search the help center',
    placeholder: 'Search help…',
    button: false,
  },
  hero: {
    className: 'hero-search home-search',
    label: 'Search for answers',
    placeholder: 'Type your question',
    button: true,
  },
} as const;

/**
 * A search box: a plain GET form to /search, which with JavaScript suggests results as you type
 * (arrow keys move, Enter opens, Escape closes; the count is announced). The header has a small
 * one; the home page's hero a large one with a Search button.
 */
export function SearchCombobox({ variant }: { variant: keyof typeof searchVariants }) {
  const { className, label, placeholder, button } = searchVariants[variant];
  const id = useId();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const { hits } = useSuggestions(query);
  const expanded = open && hits.length > 0;
  const listId = `${id}-suggestions`;

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((current) => Math.min(current + 1, hits.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((current) => Math.max(current - 1, -1));
    } else if (event.key === 'Escape' && expanded) {
      // Closing the list must not also clear what was typed (a search input's default).
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    } else if (event.key === 'Enter' && expanded && active >= 0) {
      const hit = hits[active];
      if (!hit) return;
      event.preventDefault();
      setOpen(false);
      navigate(resultHref(hit, active + 1, query, 'suggest'));
    }
  }

  return (
    <Form
      method="get"
      action="/search"
      role="search"
      className={className}
      onSubmit={() => setOpen(false)}
    >
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {label}
      </label>
      <input
        id={`${id}-input`}
        type="search"
        name="q"
        placeholder={placeholder}
        autoComplete="off"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Suggestions"
        className="suggestions"
        hidden={!expanded}
      >
        {hits.map((hit, index) => (
          <li
            key={hit.key}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'suggestion suggestion-active' : 'suggestion'}
          >
            <Link
              to={resultHref(hit, index + 1, query, 'suggest')}
              tabIndex={-1}
              onClick={() => setOpen(false)}
            >
              <span className="suggestion-kind">
                {hit.type === 'article' ? 'Article' : 'Question'}
              </span>
              <Highlighted text={hit.title} />
            </Link>
          </li>
        ))}
      </ul>
      {button ? (
        <button type="submit" className="button">
          Search
        </button>
      ) : null}
      <p className="visually-hidden" aria-live="polite">
        {query.trim().length >= 2 && open
          ? `${hits.length} ${hits.length === 1 ? 'suggestion' : 'suggestions'}`
          : ''}
      </p>
    </Form>
  );
}

/** Threads and articles that match what is being typed; opening one is recorded (a deflection). */
export function SimilarContent({
  title,
  from = 'ask',
  heading = 'These may already answer it:',
}: {
  title: string;
  from?: 'ask' | 'ticket';
  heading?: string;
}) {
  const { hits, problems } = useSuggestions(title, 350, from === 'ticket');
  // The slot stays when empty: on a wide screen it is the form's side column (.form-with-similar).
  return (
    <div className="similar-slot">
      {hits.length > 0 || problems.length > 0 ? (
        <section className="similar" aria-label="Similar questions and articles" aria-live="polite">
          <p className="similar-title">{heading}</p>
          <ul>
            {problems.map((problem, index) => (
              <li key={`problem-${problem.id}`}>
                <Link
                  to={resultHref({ key: `problem-${problem.id}` }, index + 1, title, from)}
                  target="_blank"
                  rel="noopener"
                >
                  <span className="suggestion-kind suggestion-known-issue">Known issue</span>
                  {problem.title}
                </Link>
              </li>
            ))}
            {hits.map((hit, index) => (
              <li key={hit.key}>
                <Link to={resultHref(hit, index + 1, title, from)} target="_blank" rel="noopener">
                  <span className="suggestion-kind">
                    {hit.type === 'article' ? 'Article' : hit.answered ? 'Answered' : 'Question'}
                  </span>
                  <Highlighted text={hit.title} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
