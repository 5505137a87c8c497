import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { GroupMemberships } from '~/components/group-memberships';
import { joinMessageMaxLength } from '~/models/group-words';
import { groupsOfUser } from '~/models/groups.server';
import { groupsAskedToJoin, listOpenGroups } from '~/models/group-join-requests.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Groups' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const [mine, open, asked] = await Promise.all([
    groupsOfUser(db, user.id),
    listOpenGroups(db),
    groupsAskedToJoin(db, user.id),
  ]);
  const waiting = new Set(asked);
  return {
    mine,
    open: open
      .filter((group) => !mine.some((own) => own.id === group.id))
      .map((group) => ({ ...group, asked: waiting.has(group.id) })),
  };
}

export default function Groups() {
  const { mine, open } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow stack">
      <h1>Groups</h1>
      <p className="muted">
        Groups open private categories and articles, like a beta programme, to the people in them.
      </p>
      <section className="card" aria-labelledby="mine-title">
        <h2 id="mine-title">Your groups</h2>
        <GroupMemberships
          groups={mine}
          empty="You are not in any group yet."
          linkTo={(id) => `/groups/${id}`}
        />
      </section>
      {open.length > 0 ? (
        <section className="card" aria-labelledby="open-title">
          <h2 id="open-title">Groups you can ask to join</h2>
          <ul className="item-list">
            {open.map((group) => (
              <li key={group.id} className="stack-small">
                <div>
                  <Link to={`/groups/${group.id}`}>
                    <strong>{group.name}</strong>
                  </Link>
                  {group.description ? <div className="muted">{group.description}</div> : null}
                </div>
                {group.asked ? (
                  <p className="muted">You asked to join; a manager will answer.</p>
                ) : (
                  <Form method="post" action={`/groups/${group.id}`} className="stack-small">
                    <input type="hidden" name="intent" value="ask" />
                    <label htmlFor={`message-${group.id}`}>
                      Message to the managers (optional)
                    </label>
                    <textarea
                      id={`message-${group.id}`}
                      name="message"
                      rows={2}
                      maxLength={joinMessageMaxLength}
                    />
                    <div>
                      <button type="submit" className="button">
                        Ask to join
                      </button>
                    </div>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
