import { Form } from '@remix-run/react';
import { useId, useState } from 'react';
import { plainText } from './highlighted';
import { useSuggestions } from './search-box';

/**
 * Links a thread, answer or article to a ticket: type to get suggestions from search, or paste a
 * link to any question, answer (…#answer-12) or article. Without JavaScript, pasting works.
 */
export function LinkPicker({ error, value }: { error?: string; value?: string }) {
  const id = useId();
  const [query, setQuery] = useState(value ?? '');
  const looksLikeReference = /^(thread|article|post)-\d+$|\//.test(query.trim());
  const { hits } = useSuggestions(looksLikeReference ? '' : query, 250);
  return (
    <Form method="post" className="link-picker" noValidate>
      <input type="hidden" name="intent" value="link" />
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={`${id}-reference`}>Link a thread, answer or article</label>
        <div className="inline-controls">
          <input
            id={`${id}-reference`}
            name="reference"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            list={`${id}-options`}
            autoComplete="off"
            placeholder="Search, or paste a link"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
          <button type="submit" className="button button-small button-secondary">
            Link
          </button>
        </div>
        <datalist id={`${id}-options`}>
          {hits.map((hit) => (
            <option key={hit.key} value={hit.key}>
              {`${hit.type === 'article' ? 'Article' : 'Thread'}: ${plainText(hit.title)}`}
            </option>
          ))}
        </datalist>
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    </Form>
  );
}
