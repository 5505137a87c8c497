import { useEffect, useId, useState } from 'react';

type Props = {
  label: string;
  name?: string;
  defaultValue?: string;
  error?: string;
  hint?: string;
  rows?: number;
  required?: boolean;
};

/**
 * A Markdown textarea with a live preview rendered by the server (the same renderer and
 * sanitizer that will store the post). Without JavaScript it is a plain textarea.
 */
export function MarkdownEditor({
  label,
  name = 'body',
  defaultValue = '',
  error,
  hint,
  rows = 10,
  required,
}: Props) {
  const id = useId();
  const [text, setText] = useState(defaultValue);
  const [html, setHtml] = useState('');

  // NOTE: a plain fetch, not a Remix fetcher: after a fetcher's POST, Remix revalidates every
  // loader on the page, and when that landed while the form itself was being posted it broke the
  // form's navigation (the new question's page stayed blank). A preview changes no data.
  useEffect(() => {
    if (!text.trim()) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch('/markdown-preview', {
        method: 'POST',
        body: new URLSearchParams({ body: text }),
        signal: controller.signal,
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((result: unknown) => {
          if (typeof result === 'object' && result !== null && 'html' in result)
            setHtml(String(result.html));
        })
        // An aborted (superseded) or failed preview keeps the last one shown.
        .catch(() => {});
    }, 350);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const errorId = error ? `${id}-error` : undefined;
  const hintId = `${id}-hint`;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        onChange={(event) => setText(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ')}
        required={required}
        className="markdown-input"
      />
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      <p className="field-hint" id={hintId}>
        {hint ??
          'Markdown works: **bold**, `code`, ```fenced code```, lists, links and @username mentions.'}
      </p>
      {text.trim() ? (
        <section className="preview" aria-label="Preview" aria-live="polite">
          <p className="preview-label">Preview</p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
        </section>
      ) : null}
    </div>
  );
}
