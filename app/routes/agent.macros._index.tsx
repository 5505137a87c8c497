import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { macrosFor } from '~/models/macros/macros.server';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [{ title: 'Macros · Team' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  return { macros: await macrosFor(getDb(), user.id), userId: user.id };
}

export default function Macros() {
  const { macros, userId } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="page-title-row">
        <h1>Macros</h1>
        <Link to="/agent/macros/new" className="button">
          New macro
        </Link>
      </header>
      <p className="muted">
        Replies you send often, with the steps that go with them. Apply one from a ticket; you can
        change the reply and drop any step before sending.
      </p>
      {macros.length === 0 ? (
        <p className="empty-state">No macros yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Macro</th>
                <th scope="col">For</th>
                <th scope="col">Used</th>
              </tr>
            </thead>
            <tbody>
              {macros.map((macro) => (
                <tr key={macro.id}>
                  <td>
                    <Link to={`/agent/macros/${macro.id}`}>{macro.title}</Link>
                  </td>
                  <td>
                    {macro.owner_id === null ? 'The team' : macro.owner_id === userId ? 'You' : ''}
                  </td>
                  <td>{macro.uses === 1 ? 'once' : `${macro.uses} times`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
