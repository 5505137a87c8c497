import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react';
import { ticketPriorities } from '#db/schema';
import { requireRole } from '~/auth/session.server';
import { Field, Notice, SelectField } from '~/components/forms';
import { clockOf, priorityLabels, weekdays } from '~/models/sla/labels';
import { saveSlaSettings, slaSettingsOf, slaSettingsSchema } from '~/models/sla/settings.server';
import { getDb } from '~/utils/db.server';
import { formFailure, parseForm } from '~/utils/forms.server';

export const meta: MetaFunction = () => [{ title: 'SLAs · Administration' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return { ...(await slaSettingsOf(getDb())), timeZones: Intl.supportedValuesOf('timeZone') };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, 'admin');
  const parsed = parseForm(await request.formData(), slaSettingsSchema);
  if (!parsed.success) return formFailure(parsed);
  await saveSlaSettings(getDb(), user, parsed.data);
  return redirect('/admin/sla?saved=1');
}

const hoursOf = (minutes: number | null) =>
  minutes === null ? '' : String(Math.round((minutes / 60) * 100) / 100);

export default function SlaSettings() {
  const { hours, policies, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const values = actionData?.values;
  const errors = actionData?.fieldErrors;
  const value = (key: string, fallback: string) =>
    typeof values?.[key] === 'string' ? String(values[key]) : fallback;
  const zones = timeZones.includes(hours.timeZone) ? timeZones : [hours.timeZone, ...timeZones];
  return (
    <>
      <h1>Service levels</h1>
      <p className="muted">
        How soon a ticket gets its first public reply and how soon it is solved, by priority,
        counted in business hours. New targets apply to tickets filed, or given another priority,
        from now on.
      </p>
      <Notice>{searchParams.has('saved') ? 'Saved, and written to the audit log.' : null}</Notice>
      <section className="card form-card">
        <Form method="post" className="stack" noValidate>
          <SelectField
            label="Time zone"
            name="timeZone"
            defaultValue={value('timeZone', hours.timeZone)}
            error={errors?.timeZone}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
          <fieldset className="choices">
            <legend>Business hours</legend>
            <table className="table hours-table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Opens</th>
                  <th scope="col">Closes</th>
                  <th scope="col">Closed all day</th>
                </tr>
              </thead>
              <tbody>
                {weekdays.map((name, day) => {
                  const open = hours.days[day];
                  const closed = values ? values[`closed${day}`] === 'on' : !open;
                  const error = errors?.[`open${day}`] ?? errors?.[`close${day}`];
                  return (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      <td>
                        <input
                          type="time"
                          name={`open${day}`}
                          aria-label={`${name} opens`}
                          defaultValue={value(`open${day}`, clockOf(open?.open ?? 9 * 60))}
                          aria-invalid={error ? true : undefined}
                        />
                      </td>
                      <td>
                        <input
                          type="time"
                          name={`close${day}`}
                          aria-label={`${name} closes`}
                          defaultValue={value(`close${day}`, clockOf(open?.close ?? 17 * 60))}
                          aria-invalid={error ? true : undefined}
                        />
                        {error ? <p className="field-error">{error}</p> : null}
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          name={`closed${day}`}
                          aria-label={`Closed on ${name}`}
                          defaultChecked={closed}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </fieldset>
          <fieldset className="choices">
            <legend>Targets, in business hours (empty: no target)</legend>
            {ticketPriorities.map((priority) => (
              <div className="field-row" key={priority}>
                <Field
                  label={`${priorityLabels[priority]}: first reply within`}
                  name={`firstResponse_${priority}`}
                  inputMode="decimal"
                  defaultValue={value(
                    `firstResponse_${priority}`,
                    hoursOf(policies[priority].firstResponseMinutes),
                  )}
                  error={errors?.[`firstResponse_${priority}`]}
                />
                <Field
                  label={`${priorityLabels[priority]}: solved within`}
                  name={`resolution_${priority}`}
                  inputMode="decimal"
                  defaultValue={value(
                    `resolution_${priority}`,
                    hoursOf(policies[priority].resolutionMinutes),
                  )}
                  error={errors?.[`resolution_${priority}`]}
                />
              </div>
            ))}
          </fieldset>
          <div>
            <button type="submit" className="button" disabled={busy}>
              Save
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
