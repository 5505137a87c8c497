import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { SettingsNav } from '~/components/settings-nav';
import { FormError, Notice } from '~/components/forms';
import {
  notificationSettings,
  saveNotificationSettings,
  settingsSchema,
} from '~/models/mail/preferences.server';
import { notificationGroups } from '~/models/mail/kinds';
import { getDb } from '~/utils/db.server';
import { formFailure, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'Notification settings' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return notificationSettings(getDb(), user);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await request.formData(), settingsSchema(user.role));
  if (!parsed.success) return formFailure(parsed);
  await saveNotificationSettings(getDb(), user, parsed.data);
  return redirect('/settings/notifications?saved=1');
}

const deliveryLabels = { instant: 'Instantly', digest: 'In the digest', never: 'Never' };

export default function NotificationSettings() {
  const { kinds, digest, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <div className="page narrow stack">
      <h1>Notification settings</h1>
      <SettingsNav />
      <Notice>{searchParams.has('saved') ? 'Your notification settings are saved.' : null}</Notice>
      <FormError>
        {actionData ? 'Some choices could not be saved; see the marked fields.' : null}
      </FormError>
      <Form method="post" className="stack">
        <section className="card stack settings-card" aria-labelledby="kinds-heading">
          <div>
            <h2 id="kinds-heading">Mail me about</h2>
            <p className="muted">
              Every mail has an unsubscribe link that turns off only its own kind.
            </p>
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              {notificationGroups.map((group) => {
                const rows = kinds.filter((kind) => group.kinds.includes(kind.kind));
                if (rows.length === 0) return null;
                return (
                  <tbody key={group.title}>
                    <tr className="table-group">
                      <th scope="colgroup" colSpan={2}>
                        {group.title}
                      </th>
                    </tr>
                    {rows.map((kind) => (
                      <tr key={kind.kind}>
                        <td>
                          <label htmlFor={`kind-${kind.kind}`}>{kind.label}</label>
                          {actionData?.fieldErrors[kind.kind] ? (
                            <p className="field-error">{actionData.fieldErrors[kind.kind]}</p>
                          ) : null}
                        </td>
                        <td>
                          <select
                            id={`kind-${kind.kind}`}
                            name={kind.kind}
                            defaultValue={kind.delivery}
                          >
                            {(kind.digestible
                              ? (['instant', 'digest', 'never'] as const)
                              : (['instant', 'never'] as const)
                            ).map((delivery) => (
                              <option key={delivery} value={delivery}>
                                {deliveryLabels[delivery]}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                );
              })}
            </table>
          </div>
        </section>
        <section className="card stack settings-card" aria-labelledby="digest-heading">
          <div>
            <h2 id="digest-heading">Digest</h2>
            <p className="muted">
              One mail with what you chose “in the digest”, new unanswered questions in the
              categories you follow and the newest articles.
            </p>
          </div>
          <fieldset className="choices">
            <legend>How often</legend>
            {(['off', 'daily', 'weekly'] as const).map((frequency) => (
              <label className="choice" key={frequency}>
                <input
                  type="radio"
                  name="digest"
                  value={frequency}
                  defaultChecked={digest === frequency}
                />{' '}
                {frequency === 'off' ? 'No digest' : frequency === 'daily' ? 'Daily' : 'Weekly'}
              </label>
            ))}
          </fieldset>
          {categories.length > 0 ? (
            <fieldset className="choices">
              <legend>Categories I follow</legend>
              {categories.map((category) => (
                <label className="choice" key={category.id}>
                  <input
                    type="checkbox"
                    name="categories"
                    value={category.id}
                    defaultChecked={category.followed}
                  />{' '}
                  {category.name}
                </label>
              ))}
            </fieldset>
          ) : null}
        </section>
        <div>
          <button type="submit" className="button">
            Save settings
          </button>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
