import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireRole } from '~/auth/session.server';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Notice } from '~/components/forms';
import { ProblemState } from '~/components/problem-state';
import { listCategories } from '~/models/categories.server';
import { agentProblemPage, parseProblemTarget } from '~/models/problems/problem-page.server';
import { postUpdate, updateSchema } from '~/models/problems/problem-updates.server';
import { linkToProblem, saveProblem, unlinkFromProblem } from '~/models/problems/problems.server';
import { getDb } from '~/utils/db.server';
import { formReply, formValues, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';
import {
  AffectedCard,
  DetailsForm,
  LinkedCard,
  TimelineCard,
  TrendCard,
  UpdateForm,
} from './parts';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.page?.problem.title ?? 'New known issue'} · Known issues` },
];

const idOf = (param: string | undefined) => (param === 'new' ? null : requireIdParam(param));

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const id = idOf(params.id);
  const categories = await listCategories(db);
  if (id === null) {
    // Started from a ticket: its subject is a first title, and it is linked once saved.
    const ticketId = Number(new URL(request.url).searchParams.get('ticket'));
    const ticket = Number.isSafeInteger(ticketId)
      ? await db
          .selectFrom('tickets')
          .select(['id', 'subject'])
          .where('id', '=', ticketId)
          .executeTakeFirst()
      : undefined;
    return { id, page: null, categories, fromTicket: ticket ?? null };
  }
  const page = await agentProblemPage(db, id);
  if (!page) throw new Response('Not found', { status: 404 });
  return { id, page, categories, fromTicket: null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, 'agent', 'moderator');
  const db = getDb();
  const id = idOf(params.id);
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? 'save');
  const reply = (
    form: string,
    status: number,
    failure: { formError?: string; fieldErrors?: Record<string, string> },
  ) => formReply(status, { form, ...failure, values: formValues(formData) });
  if (intent === 'save') {
    const saved = await saveProblem(db, user, id, Object.fromEntries(formData));
    if (!saved.ok)
      return 'fieldErrors' in saved
        ? reply('save', 400, { fieldErrors: saved.fieldErrors })
        : reply('save', saved.status, { formError: saved.error });
    const ticketId = Number(formData.get('ticketId'));
    if (id === null && Number.isSafeInteger(ticketId) && ticketId > 0)
      await linkToProblem(db, user, saved.id, { type: 'ticket', id: ticketId });
    return redirect(`/agent/problems/${saved.id}${id === null ? '' : '?saved=1'}`);
  }
  if (id === null) throw new Response('Not found', { status: 404 });
  if (intent === 'update') {
    const parsed = parseForm(formData, updateSchema);
    if (!parsed.success) return reply('update', 400, { fieldErrors: parsed.fieldErrors });
    const posted = await postUpdate(db, user, id, parsed.data);
    if (!posted.ok) return reply('update', posted.status, { formError: posted.error });
    const outcome = new URLSearchParams({
      updated: '1',
      mailed: String(posted.mailed),
      solved: String(posted.solved),
      unsolved: posted.unsolved.join(','),
    });
    return redirect(`/agent/problems/${id}?${outcome}`);
  }
  if (intent === 'link') {
    const target = await parseProblemTarget(db, String(formData.get('reference') ?? ''));
    if (!target)
      return reply('link', 400, {
        fieldErrors: {
          reference: 'Type a ticket number (#12) or paste a question’s or answer’s address.',
        },
      });
    const linked = await linkToProblem(db, user, id, target);
    if (!linked.ok)
      return reply('link', linked.status, { fieldErrors: { reference: linked.error } });
    return redirect(`/agent/problems/${id}`);
  }
  if (intent === 'unlink') {
    const type = formData.get('type');
    const targetId = Number(formData.get('targetId'));
    if (
      (type === 'ticket' || type === 'thread' || type === 'post') &&
      Number.isSafeInteger(targetId)
    )
      await unlinkFromProblem(db, user, { type, id: targetId });
    return redirect(`/agent/problems/${id}`);
  }
  return reply('save', 400, { formError: 'Unknown action.' });
}

export type ProblemPageData = ReturnType<typeof useLoaderData<typeof loader>>;

function outcomeNotice(params: URLSearchParams) {
  if (params.has('saved')) return 'Saved.';
  if (!params.has('updated')) return null;
  const mailed = Number(params.get('mailed'));
  const solved = Number(params.get('solved'));
  const unsolved = (params.get('unsolved') ?? '').split(',').filter(Boolean);
  const parts = ['Update posted.'];
  if (mailed > 0) parts.push(`${mailed} ${mailed === 1 ? 'person was' : 'people were'} mailed.`);
  if (solved > 0)
    parts.push(`${solved} linked ${solved === 1 ? 'ticket was' : 'tickets were'} solved.`);
  if (unsolved.length > 0)
    parts.push(
      `Not solved (fields to fill in first): ${unsolved.map((id) => `#${id}`).join(', ')}.`,
    );
  return parts.join(' ');
}

export default function ProblemPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const replyFor = (form: string) => (actionData?.form === form ? actionData : undefined);
  const { page } = data;
  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/agent/problems">Known issues</Link>
      </nav>
      <header className="page-title-row">
        <h1>
          {page ? page.problem.title : 'New known issue'}
          {page ? <ProblemState state={page.problem.state} /> : null}
        </h1>
        {page?.problem.public ? (
          <Link to={`/known-issues/${page.problem.id}`} className="button button-secondary">
            Public page
          </Link>
        ) : null}
      </header>
      <Notice>{outcomeNotice(searchParams)}</Notice>
      {page ? (
        <div className="ticket-layout">
          <div className="ticket-main">
            <UpdateForm page={page} reply={replyFor('update')} />
            <LinkedCard page={page} reply={replyFor('link')} />
            <TrendCard page={page} />
            <TimelineCard timeline={page.timeline} />
          </div>
          <aside className="ticket-side">
            <AffectedCard page={page} />
            <DetailsForm data={data} reply={replyFor('save')} />
          </aside>
        </div>
      ) : (
        <DetailsForm data={data} reply={replyFor('save')} />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary statusHandlers={{ 404: () => <p>No such known issue.</p> }} />;
}
