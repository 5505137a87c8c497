import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getUser, getViewer } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { ThreadList } from '~/components/thread-list';
import { canModerate, isStaff } from '~/models/permissions';
import { listThreads } from '~/models/thread-lists.server';
import { answersByUser, getProfile } from '~/models/users.server';
import { formatDay, timeAgo } from '~/utils/dates';
import { getDb } from '~/utils/db.server';
import { answerPath } from '#lib/content-urls';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.display_name} (@${data.profile.username})` : 'Person not found' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = getDb();
  const profile = await getProfile(db, (params.username ?? '').slice(0, 60));
  if (!profile) throw new Response('Not found', { status: 404 });
  const [user, viewer] = await Promise.all([getUser(request), getViewer(request)]);
  const [questions, answers] = await Promise.all([
    listThreads(db, viewer, { tab: 'newest', authorId: profile.id, pageSize: 20 }),
    answersByUser(db, viewer, profile.id),
  ]);
  return {
    // The organisation a customer belongs to is for staff eyes only.
    profile: { ...profile, organization_name: isStaff(user) ? profile.organization_name : null },
    questions: questions.threads,
    answers,
    moderator: canModerate(user),
  };
}

export default function ProfilePage() {
  const { profile, questions, answers, moderator } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <header className="profile-header card">
        <span className="avatar avatar-large" aria-hidden="true">
          {profile.display_name.slice(0, 1).toUpperCase()}
        </span>
        <div>
          <h1>{profile.display_name}</h1>
          <p className="muted">
            @{profile.username} · member since {formatDay(profile.created_at)}
            {profile.role !== 'member' ? <span className="role-badge">{profile.role}</span> : null}
          </p>
          {profile.organization_name ? (
            <p className="muted">Organization: {profile.organization_name}</p>
          ) : null}
          {moderator ? (
            <p>
              <Link to={`/mod/users/${profile.id}`}>Moderate this person</Link>
            </p>
          ) : null}
        </div>
        <div className="profile-stats">
          <div>
            <span className="stat-value">{profile.reputation.toLocaleString('en')}</span>
            <span className="stat-label">reputation</span>
          </div>
          <div>
            <span className="stat-value">{questions.length}</span>
            <span className="stat-label">questions</span>
          </div>
          <div>
            <span className="stat-value">{answers.length}</span>
            <span className="stat-label">answers</span>
          </div>
        </div>
      </header>
      <div className="profile-columns">
        <section aria-labelledby="profile-questions">
          <h2 id="profile-questions">Questions</h2>
          <ThreadList
            threads={questions}
            empty={`${profile.display_name} has not asked anything yet.`}
          />
        </section>
        <section aria-labelledby="profile-answers">
          <h2 id="profile-answers">Answers</h2>
          {answers.length === 0 ? (
            <p className="empty-state">No answers yet.</p>
          ) : (
            <ul className="answer-list">
              {answers.map((answer) => (
                <li key={answer.id} className="card answer-summary">
                  <span
                    className={
                      answer.accepted_post_id === answer.id ? 'score score-accepted' : 'score'
                    }
                    title={answer.accepted_post_id === answer.id ? 'Accepted answer' : 'Score'}
                  >
                    {answer.score}
                  </span>
                  <div>
                    <Link
                      to={answerPath({ id: answer.thread_id, slug: answer.thread_slug }, answer.id)}
                    >
                      {answer.thread_title}
                    </Link>
                    <div className="muted">
                      answered{' '}
                      <time dateTime={answer.created_at} suppressHydrationWarning>
                        {timeAgo(answer.created_at)}
                      </time>
                      {answer.accepted_post_id === answer.id ? ' · accepted' : ''}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{ 404: ({ params }) => <p>No member called {params.username}.</p> }}
    />
  );
}
