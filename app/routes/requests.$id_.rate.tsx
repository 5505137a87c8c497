import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
  useSubmit,
} from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { GeneralErrorBoundary } from '~/components/error-page';
import { Notice, TextAreaField } from '~/components/forms';
import { isRatingToken, rate, ratingOf, ratingSchema } from '~/models/satisfaction.server';
import { getDb } from '~/utils/db.server';
import { formFailure, parseForm } from '~/utils/forms.server';
import { requireIdParam } from '~/utils/params';

export const meta: MetaFunction = () => [{ title: 'How did we do?' }];

const badLink =
  'This rating link is not one we sent, or it was changed on the way. Open the link in the mail again, or rate the request on its page.';

/** The ticket a signed link names, or a 400 page for a link that is not ours. */
async function ratedTicket(id: number, token: string) {
  const db = getDb();
  if (!(await isRatingToken(db, id, token))) throw new Response(badLink, { status: 400 });
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'subject'])
    .where('id', '=', id)
    .executeTakeFirst();
  const asked = ticket && (await ratingOf(db, id));
  if (!ticket || !asked) throw new Response('Not found', { status: 404 });
  return { ticket, asked };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requireIdParam(params.id);
  const url = new URL(request.url);
  const token = url.searchParams.get('token') ?? '';
  const { ticket, asked } = await ratedTicket(id, token);
  return { subject: ticket.subject, token, current: asked };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireIdParam(params.id);
  const formData = await request.formData();
  const token = String(formData.get('token') ?? '');
  await ratedTicket(id, token);
  const parsed = parseForm(formData, ratingSchema);
  if (!parsed.success) return formFailure(parsed);
  await rate(getDb(), id, parsed.data);
  const here = new URLSearchParams({ token, rating: parsed.data.rating, saved: '1' });
  return redirect(`/requests/${id}/rate?${here}`);
}

const ratingWords = { good: 'Good', bad: 'Not good' } as const;

export default function RateRequest() {
  const { subject, token, current } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state !== 'idle';
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const chosen = actionData?.values?.rating ?? searchParams.get('rating') ?? current.rating ?? '';
  // NOTE: mail scanners open links before people do, so the link's GET records nothing. With
  // scripts (a person in a browser) the choice from the mail is sent at once: one click.
  const fromMail = searchParams.get('rating');
  useEffect(() => {
    if (!form.current || searchParams.has('saved')) return;
    if ((fromMail === 'good' || fromMail === 'bad') && current.rating !== fromMail)
      submit(form.current);
  }, [fromMail, current.rating, searchParams, submit]);
  return (
    <div className="page narrow">
      <h1>How did we do?</h1>
      <p className="muted">On your request “{subject}”.</p>
      <Notice>
        {searchParams.has('saved') && current.rating
          ? `Thank you: we noted “${ratingWords[current.rating]}”. You can change it or add a comment below.`
          : null}
      </Notice>
      <section className="card form-card">
        <Form method="post" className="stack" ref={form} noValidate>
          <input type="hidden" name="token" value={token} />
          <fieldset className="choices">
            <legend>Was your request solved well?</legend>
            {(['good', 'bad'] as const).map((rating) => (
              <label key={rating} className="choice">
                <input
                  type="radio"
                  name="rating"
                  value={rating}
                  defaultChecked={chosen === rating}
                />{' '}
                {ratingWords[rating]}
              </label>
            ))}
            {actionData?.fieldErrors?.rating ? (
              <p className="field-error">{actionData.fieldErrors.rating}</p>
            ) : null}
          </fieldset>
          <TextAreaField
            label="Anything to add? (optional)"
            name="comment"
            rows={4}
            defaultValue={actionData?.values?.comment ?? current.comment ?? ''}
            error={actionData?.fieldErrors?.comment}
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Send
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        400: ({ error }) => <p>{typeof error.data === 'string' ? error.data : badLink}</p>,
      }}
    />
  );
}
