import { useEffect, useId, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import {
  insertAtCursor,
  namePasted,
  placeholderFor,
  replaceText,
  sendFile,
} from './markdown-uploads';

type Props = {
  label: string;
  name?: string;
  defaultValue?: string;
  error?: string;
  /** The server's message about files posted with the form (without JavaScript). */
  attachmentError?: string;
  hint?: string;
  rows?: number;
  required?: boolean;
};

type Upload = { key: number; name: string; fraction: number; done: boolean };

let uploadKeys = 0;

const noSubscription = () => () => {};
const isBrowser = () => true;
const isServer = () => false;

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/**
 * A Markdown textarea with a live preview rendered by the server (the same renderer and
 * sanitizer that will store the post), and files attached from a button, by dropping them on the
 * text or by pasting a screenshot: each is uploaded at once and its Markdown put at the cursor.
 * Without JavaScript it is a plain textarea and a file field posted with the form
 * (`attachments`, stored by the action).
 */
export function MarkdownEditor({
  label,
  name = 'body',
  defaultValue = '',
  error,
  attachmentError,
  hint,
  rows = 10,
  required,
}: Props) {
  const id = useId();
  const [text, setText] = useState(defaultValue);
  const [html, setHtml] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  // False in the server's HTML and while hydrating, so the page is the same until scripts run.
  const enhanced = useSyncExternalStore(noSubscription, isBrowser, isServer);
  const pending = uploads.some((upload) => !upload.done);

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

  // Text typed before this code arrived (the thread page loads the editor after the page) is in
  // the textarea but never reached onChange: start the preview from it.
  useEffect(() => {
    const typed = textareaRef.current?.value;
    if (typed !== undefined && typed !== defaultValue) setText(typed);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the editor hydrates
  }, []);

  // Posting while a file is still on its way would post its placeholder instead of the file.
  // NOTE: a listener on the form element runs before Remix's own submit handler (React listens
  // at the root), and Remix's Form leaves a submission whose default was prevented alone.
  useEffect(() => {
    const form = textareaRef.current?.form;
    if (!form || !pending) return;
    const hold = (event: SubmitEvent) => {
      event.preventDefault();
      setAnnouncement('Wait until the files finish uploading, then post.');
    };
    form.addEventListener('submit', hold);
    return () => form.removeEventListener('submit', hold);
  }, [pending]);

  function attach(files: File[]) {
    const textarea = textareaRef.current;
    if (!textarea || files.length === 0) return;
    setProblems([]);
    for (const file of files) {
      const key = ++uploadKeys;
      const placeholder = placeholderFor(file.name, textarea.value);
      insertAtCursor(textarea, placeholder);
      setUploads((list) => [...list, { key, name: file.name, fraction: 0, done: false }]);
      const update = (change: Partial<Upload>) =>
        setUploads((list) =>
          list.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)),
        );
      sendFile(file, (fraction) => update({ fraction })).then((sent) => {
        if (sent.ok) {
          // Deleted while it uploaded: the file still goes where the person is typing.
          if (!replaceText(textarea, placeholder, sent.markdown))
            insertAtCursor(textarea, sent.markdown);
          update({ fraction: 1, done: true });
          setAnnouncement(`${file.name} attached.`);
        } else {
          replaceText(textarea, placeholder, '');
          setUploads((list) => list.filter((upload) => upload.key !== key));
          setProblems((list) => [...list, sent.message]);
          setAnnouncement(sent.message);
        }
        setText(textarea.value);
      });
    }
    setText(textarea.value);
    const [first] = files;
    setAnnouncement(
      files.length === 1 && first ? `Uploading ${first.name}…` : `Uploading ${files.length} files…`,
    );
  }

  const errorId = error ? `${id}-error` : undefined;
  const hintId = `${id}-hint`;
  const attachErrorId = `${id}-attach-error`;
  const attachProblems = problems.length > 0 ? problems : attachmentError ? [attachmentError] : [];
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <div className={dragging ? 'editor editor-dropping' : 'editor'}>
        <textarea
          id={id}
          ref={textareaRef}
          name={name}
          rows={rows}
          defaultValue={defaultValue}
          onChange={(event) => setText(event.target.value)}
          onPaste={(event) => {
            const { files, types } = event.clipboardData;
            // NOTE: copying cells from a spreadsheet or a word processor puts a picture of them
            // on the clipboard beside the text; the text is what the person meant to paste.
            if (files.length === 0 || types.includes('text/plain')) return;
            event.preventDefault();
            attach(Array.from(files, (file) => namePasted(file)));
          }}
          onDragOver={(event) => {
            if (!hasFiles(event)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            setDragging(false);
            if (!hasFiles(event)) return;
            event.preventDefault();
            attach(Array.from(event.dataTransfer.files));
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={[errorId, hintId].filter(Boolean).join(' ')}
          required={required}
          className="markdown-input"
        />
        <div className="editor-bar">
          <label className={enhanced ? 'attach-button' : 'attach-field'}>
            <span>Attach files</span>
            <input
              type="file"
              name="attachments"
              multiple
              className={enhanced ? 'visually-hidden' : undefined}
              aria-invalid={attachProblems.length > 0 ? true : undefined}
              aria-describedby={attachProblems.length > 0 ? attachErrorId : undefined}
              onChange={(event) => {
                const files = Array.from(event.target.files ?? []);
                // Sent already: the form must not post them a second time.
                event.target.value = '';
                attach(files);
              }}
            />
          </label>
          {enhanced ? (
            <span className="editor-bar-hint">
              or drop files on the text, or paste a screenshot
            </span>
          ) : null}
        </div>
      </div>
      {uploads.length > 0 ? (
        <ul className="upload-list" aria-label="Attached files">
          {uploads.map((upload) => (
            <li key={upload.key} className={upload.done ? 'upload upload-done' : 'upload'}>
              <span className="upload-name">{upload.name}</span>
              {upload.done ? (
                <span className="upload-state">Attached</span>
              ) : (
                <>
                  <progress
                    max={100}
                    value={Math.round(upload.fraction * 100)}
                    aria-label={`Uploading ${upload.name}`}
                  />
                  <span className="upload-state">{Math.round(upload.fraction * 100)}%</span>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {attachProblems.length > 0 ? (
        <div className="field-error" id={attachErrorId} role="alert">
          {attachProblems.map((problem, index) => (
            <p key={index}>{problem}</p>
          ))}
        </div>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      <p className="field-hint" id={hintId}>
        {hint ??
          'Markdown works: **bold**, `code`, ```fenced code```, lists, links and @username mentions.'}
      </p>
      {/* Without JavaScript there is no preview to show: no empty box either. */}
      {text.trim() && enhanced ? (
        <section className="preview" aria-label="Preview" aria-live="polite">
          <p className="preview-label">Preview</p>
          {html ? (
            <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
          ) : (
            <PlainPreview text={text} />
          )}
        </section>
      ) : null}
    </div>
  );
}

/**
 * The text as paragraphs, shown until the server's first preview arrives.
 * NOTE: an empty preview that filled 0.4 s later pushed everything under it down at once, the
 * submit button too: a click pressed on the button was released on the field below it, and the
 * post was never sent. Prose takes the same lines here as in the server's HTML.
 */
function PlainPreview({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((paragraph) => paragraph.trim());
  return (
    <div className="prose">
      {paragraphs.map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
    </div>
  );
}
