import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ProblemState } from '~/components/problem-state';
import { listProblems } from '~/models/problems/problems.server';
import { formatDay } from '~/utils/dates';
import { getDb } from '~/utils/db.server';

export const meta: MetaFunction = () => [
  { title: 'Known issues' },
  { name: 'description', content: 'Problems we know about, where they stand, and workarounds.' },
];

export async function loader(_: LoaderFunctionArgs) {
  const db = getDb();
  const [open, fixed] = await Promise.all([
    listProblems(db, { publicOnly: true, state: 'open' }),
    listProblems(db, { publicOnly: true, state: 'finished' }),
  ]);
  return { open, fixed: fixed.slice(0, 20) };
}

function ProblemList({
  problems,
}: {
  problems: ReturnType<typeof useLoaderData<typeof loader>>['open'];
}) {
  return (
    <ul className="plain-list known-issue-list">
      {problems.map((problem) => (
        <li key={problem.id} className="card">
          <h3>
            <Link to={`/known-issues/${problem.id}`}>{problem.title}</Link>{' '}
            <ProblemState state={problem.state} />
          </h3>
          <p className="muted">
            {problem.category_name ? `${problem.category_name} · ` : ''}
            {problem.fixed_at
              ? `fixed ${formatDay(problem.fixed_at)}`
              : `updated ${formatDay(problem.updated_at)}`}
          </p>
        </li>
      ))}
    </ul>
  );
}

export default function KnownIssues() {
  const { open, fixed } = useLoaderData<typeof loader>();
  return (
    <div className="page narrow">
      <h1>Known issues</h1>
      <p className="muted">
        Problems our team knows about and is working on. Follow one to hear when it is fixed.
      </p>
      <section aria-labelledby="open-title">
        <h2 id="open-title">Open</h2>
        {open.length === 0 ? (
          <p className="empty-state">No known issues right now.</p>
        ) : (
          <ProblemList problems={open} />
        )}
      </section>
      {fixed.length > 0 ? (
        <section aria-labelledby="fixed-title">
          <h2 id="fixed-title">Recently fixed or closed</h2>
          <ProblemList problems={fixed} />
        </section>
      ) : null}
    </div>
  );
}
