import { Form } from '@remix-run/react';
import { useState } from 'react';
import { FormError } from '~/components/forms';
import { resolutionKindLabels } from '~/models/support-labels';
import type { FormReply } from '~/utils/forms.server';

type LinkRow = {
  id: number;
  target_type: 'thread' | 'post' | 'article';
  target_id: number;
  title: string;
};

/** "What resolved it?": asked every time a ticket is solved, with what to do next. */
export function SolvePanel({
  links,
  answers,
  finished,
  missing,
  problem,
  reply,
}: {
  links: LinkRow[];
  answers: { id: number; author_name: string; excerpt: string }[];
  finished: boolean;
  /** Fields that must be filled in before solving, still empty. */
  missing: string[];
  /** The known issue the ticket is linked to, if any. */
  problem: { id: number; title: string } | null;
  reply?: FormReply;
}) {
  const [kind, setKind] = useState(reply?.values.kind ?? '');
  const articleOptions = links.filter((link) => link.target_type === 'article');
  const threadOptions = [
    ...links
      .filter((link) => link.target_type !== 'article')
      .map((link) => ({ key: `${link.target_type}-${link.target_id}`, title: link.title })),
    ...answers
      .filter(
        (answer) =>
          !links.some((link) => link.target_type === 'post' && link.target_id === answer.id),
      )
      .map((answer) => ({
        key: `post-${answer.id}`,
        title: `Answer by ${answer.author_name}: ${answer.excerpt.slice(0, 60)}`,
      })),
  ];
  const options =
    kind === 'article'
      ? articleOptions.map((link) => ({ key: `article-${link.target_id}`, title: link.title }))
      : threadOptions;
  return (
    <section className="card solve-panel" aria-labelledby="solve-title">
      <h2 id="solve-title">{finished ? 'Change what resolved it' : 'Solve this ticket'}</h2>
      <FormError>{reply?.formError}</FormError>
      {missing.length > 0 && !reply?.formError ? (
        <p className="source-note" role="note">
          Fill in {missing.join(', ')} under Fields before solving.
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="solve" />
        <fieldset className="choices">
          <legend>What resolved it?</legend>
          {problem ? <input type="hidden" name="problemId" value={problem.id} /> : null}
          {(Object.keys(resolutionKindLabels) as (keyof typeof resolutionKindLabels)[])
            // A known issue solves the tickets linked to it.
            .filter((option) => option !== 'known_issue' || problem)
            .map((option) => (
              <label key={option} className="choice">
                <input
                  type="radio"
                  name="kind"
                  value={option}
                  defaultChecked={kind === option}
                  onChange={() => setKind(option)}
                />{' '}
                {option === 'known_issue' && problem
                  ? `The known issue “${problem.title}”`
                  : resolutionKindLabels[option]}
              </label>
            ))}
          {reply?.fieldErrors.kind ? <p className="field-error">{reply.fieldErrors.kind}</p> : null}
        </fieldset>
        {kind === 'article' || kind === 'thread' || kind === '' ? (
          <div className={reply?.fieldErrors.target ? 'field field-invalid' : 'field'}>
            <label htmlFor="solve-target">
              {kind === 'article' ? 'Which article?' : 'Which thread or answer?'}
            </label>
            {options.length > 0 ? (
              <select id="solve-target" name="target" defaultValue={reply?.values.target ?? ''}>
                <option value="">Choose from the linked content…</option>
                {options.map((option) => (
                  <option key={option.key} value={option.key}>
                    {option.title}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id="solve-target"
                name="target"
                defaultValue={reply?.values.target}
                placeholder="Paste its link, e.g. /kb/connect-your-bank"
              />
            )}
            {reply?.fieldErrors.target ? (
              <p className="field-error">{reply.fieldErrors.target}</p>
            ) : (
              <p className="field-hint">Link more content on the right to choose it here.</p>
            )}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="solve-note">Note {kind === 'other' ? '' : '(optional)'}</label>
          <textarea id="solve-note" name="note" rows={2} defaultValue={reply?.values.note} />
          {reply?.fieldErrors.note ? <p className="field-error">{reply.fieldErrors.note}</p> : null}
        </div>
        <fieldset className="choices">
          <legend>Then</legend>
          <label className="choice">
            <input type="radio" name="then" value="nothing" defaultChecked /> Nothing more
          </label>
          <label className="choice">
            <input type="radio" name="then" value="community" /> Post my answer to the community as
            a new public thread (the customer is left out)
          </label>
          <label className="choice">
            <input type="radio" name="then" value="article" /> Start an article draft from my answer
          </label>
        </fieldset>
        <div>
          <button type="submit" className="button">
            {finished ? 'Save resolution' : 'Solve ticket'}
          </button>
        </div>
      </Form>
    </section>
  );
}
