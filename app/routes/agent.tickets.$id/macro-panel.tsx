import { Form, Link } from '@remix-run/react';
import { FormError } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import type { FormReply } from '~/utils/forms.server';
import type { AgentTicketData as Page } from './route';

// Macros on a ticket: choose one (a GET form, so it works without scripts), then edit its reply,
// keep or drop each action, and send.

export function MacroPicker({ page }: { page: Page }) {
  if (page.macros.length === 0)
    return (
      <p className="muted macro-picker">
        No macros yet. <Link to="/agent/macros/new">Write one</Link> for the replies you send often.
      </p>
    );
  return (
    <Form method="get" className="macro-picker inline-controls" aria-label="Apply a macro">
      <label htmlFor="macro">Macro</label>
      <select id="macro" name="macro" defaultValue={page.prepared?.id ?? ''}>
        <option value="" disabled>
          Choose a macro…
        </option>
        {page.macros.map((macro) => (
          <option key={macro.id} value={macro.id}>
            {macro.title}
            {macro.owner_id === null ? '' : ' (yours)'}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-small button-secondary">
        Apply
      </button>
    </Form>
  );
}

export function MacroForm({ page, reply, busy }: { page: Page; reply?: FormReply; busy: boolean }) {
  const prepared = page.prepared;
  if (!prepared) return null;
  return (
    <section className="card" aria-labelledby="macro-title">
      <h2 id="macro-title">Macro: {prepared.title}</h2>
      <FormError>{reply?.formError}</FormError>
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <input type="hidden" name="intent" value="macro" />
        <input type="hidden" name="macroId" value={prepared.id} />
        <MarkdownEditor
          label="Public reply"
          defaultValue={reply?.values.body ?? prepared.body}
          error={reply?.fieldErrors.body}
          hint="Filled in for this ticket: change anything before sending."
          rows={7}
          required
        />
        {prepared.actions.length > 0 ? (
          <fieldset className="choices">
            <legend>Then</legend>
            {prepared.actions.map((action) => (
              <label key={action.key} className="choice">
                <input type="checkbox" name="keep" value={action.key} defaultChecked />{' '}
                {action.label}
              </label>
            ))}
          </fieldset>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            Send and run
          </button>
          <Link to="." className="button button-secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
