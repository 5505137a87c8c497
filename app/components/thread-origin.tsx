import { Link } from '@remix-run/react';
import type { ContentOrigin, LinkedThread, ThreadOrigin } from '~/models/imports.server';
import { questionPath } from '#lib/content-urls';

const externalRel = 'nofollow noopener';

/** "CC BY-SA 4.0" links to its deed; a licence we do not recognise is shown as text. */
function License({ name }: { name: string | null }) {
  if (!name) return null;
  const match = /^CC (BY(?:-SA)?) (\d\.\d)$/.exec(name.trim());
  if (!match) return <>{name}</>;
  const kind = (match[1] ?? '').toLowerCase();
  return (
    <a
      href={`https://creativecommons.org/licenses/${kind}/${match[2]}/`}
      rel={`license ${externalRel}`}
    >
      {name}
    </a>
  );
}

function threadPath(thread: LinkedThread) {
  return questionPath(thread);
}

/** Above the question: what it duplicates, and where it was first asked (CC BY-SA attribution). */
export function ThreadOriginNotice({ origin }: { origin: ThreadOrigin }) {
  return (
    <>
      {origin.duplicateOf.length > 0 ? (
        <aside className="duplicate-notice" aria-label="Duplicate question">
          <p>
            <strong>This question already has an answer here:</strong>
          </p>
          <ul>
            {origin.duplicateOf.map((thread) => (
              <li key={thread.id}>
                <Link to={threadPath(thread)}>{thread.title}</Link>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
      {origin.thread ? (
        <p className="origin-notice" role="note">
          Originally asked
          {origin.thread.authorName ? <> by {origin.thread.authorName}</> : null} on{' '}
          <a href={origin.thread.url} rel={externalRel}>
            {origin.thread.site}
          </a>
          {origin.thread.license ? (
            <>
              , licensed under <License name={origin.thread.license} />
            </>
          ) : null}
          . Answers and comments keep their authors&apos; names and licences.
        </p>
      ) : null}
    </>
  );
}

/** Under an imported answer: its original address, author and licence. */
export function AnswerOrigin({ origin }: { origin: ContentOrigin | undefined }) {
  if (!origin) return null;
  return (
    <p className="origin-line">
      {origin.authorName ? <>By {origin.authorName}, first </> : 'First '}
      posted on{' '}
      <a href={origin.url} rel={externalRel}>
        {origin.site}
      </a>
      {origin.license ? (
        <>
          {' '}
          · <License name={origin.license} />
        </>
      ) : null}
    </p>
  );
}

/** After an imported comment's date: where it was first posted, and its licence. */
export function CommentOrigin({ origin }: { origin: ContentOrigin | undefined }) {
  if (!origin) return null;
  return (
    <span className="comment-origin">
      {' '}
      · from{' '}
      <a href={origin.url} rel={externalRel}>
        {origin.site}
      </a>
      {origin.license ? (
        <>
          {' '}
          · <License name={origin.license} />
        </>
      ) : null}
    </span>
  );
}

/** Below the answers: questions marked as duplicates of this one, and linked questions. */
export function LinkedThreads({ origin }: { origin: ThreadOrigin }) {
  if (origin.duplicates.length === 0 && origin.linked.length === 0) return null;
  return (
    <section className="card linked-threads" aria-labelledby="linked-threads-title">
      <h2 id="linked-threads-title">Linked questions</h2>
      {origin.duplicates.length > 0 ? (
        <>
          <h3>Duplicates of this question</h3>
          <ul>
            {origin.duplicates.map((thread) => (
              <li key={thread.id}>
                <Link to={threadPath(thread)}>{thread.title}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {origin.linked.length > 0 ? (
        <>
          {origin.duplicates.length > 0 ? <h3>Related</h3> : null}
          <ul>
            {origin.linked.map((thread) => (
              <li key={thread.id}>
                <Link to={threadPath(thread)}>{thread.title}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
