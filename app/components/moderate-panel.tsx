import { Form } from '@remix-run/react';

/** Moderators' thread actions, each with its reason. */
export function ModeratePanel({
  thread,
  categories,
}: {
  thread: { id: number; status: string; pinned_at: string | null; category_id: number | null };
  categories: { id: number; name: string }[];
}) {
  const closed = thread.status === 'closed';
  const locked = thread.status === 'locked';
  const action = `/mod/threads/${thread.id}`;
  return (
    <details className="card mod-panel" id="moderate">
      <summary>Moderate this question</summary>
      <div className="mod-grid">
        <Form method="post" action={action} className="mod-row">
          <label>
            Reason <input name="reason" maxLength={1000} />
          </label>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value={locked ? 'unlock' : 'lock'}
              className="button button-small button-secondary"
            >
              {locked ? 'Unlock' : 'Lock'}
            </button>
            <button
              type="submit"
              name="intent"
              value={closed ? 'reopen' : 'close'}
              className="button button-small button-secondary"
            >
              {closed ? 'Reopen' : 'Close'}
            </button>
            <button
              type="submit"
              name="intent"
              value={thread.pinned_at ? 'unpin' : 'pin'}
              className="button button-small button-secondary"
            >
              {thread.pinned_at ? 'Unpin' : 'Pin in its category'}
            </button>
          </div>
        </Form>
        <Form method="post" action={action} className="mod-row">
          <label>
            Other question (link or number) <input name="target" maxLength={2000} required />
          </label>
          <label>
            Reason <input name="reason" maxLength={1000} required />
          </label>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value="duplicate"
              className="button button-small button-secondary"
            >
              Mark as duplicate of it
            </button>
            <button
              type="submit"
              name="intent"
              value="merge"
              className="button button-small button-danger"
            >
              Merge answers into it
            </button>
          </div>
        </Form>
        <Form method="post" action={action} className="mod-row">
          <label>
            Category{' '}
            <select name="categoryId" defaultValue={thread.category_id ?? ''}>
              <option value="">No category</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason <input name="reason" maxLength={1000} required />
          </label>
          <div className="button-row">
            <button
              type="submit"
              name="intent"
              value="move"
              className="button button-small button-secondary"
            >
              Move
            </button>
          </div>
        </Form>
      </div>
    </details>
  );
}
