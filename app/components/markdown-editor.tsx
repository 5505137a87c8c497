import { useFetcher } from '@remix-run/react';
import { useEffect, useId, useRef, useState } from 'react';
import type { action as previewAction } from '~/routes/markdown-preview';

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
  const preview = useFetcher<typeof previewAction>();
  const [text, setText] = useState(defaultValue);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const submit = preview.submit;

  useEffect(() => {
    clearTimeout(timer.current);
    if (!text.trim()) return;
    timer.current = setTimeout(
      () => submit({ body: text }, { method: 'post', action: '/markdown-preview' }),
      350,
    );
    return () => clearTimeout(timer.current);
  }, [text, submit]);

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
          <div className="prose" dangerouslySetInnerHTML={{ __html: preview.data?.html ?? '' }} />
        </section>
      ) : null}
    </div>
  );
}
