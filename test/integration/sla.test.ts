import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveTicket } from '~/models/resolutions.server';
import { slaClocks } from '~/models/sla/clocks';
import { recordBreaches, saveBusinessHours, saveSlaPolicy } from '~/models/sla/targets.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { listTickets } from '~/models/ticket-lists.server';
import { action as slaSettingsAction, loader as slaSettingsLoader } from '~/routes/admin.sla';
import { action as agentTicketAction } from '~/routes/agent.tickets.$id/route';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import {
  formFailureOf,
  getAs,
  loaderData,
  locationOf,
  postAs,
  statusOf,
} from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

// Berlin, Monday to Friday 09:00-17:00; high priority: a first reply within 2 business hours,
// a solution within 2 business days (16 hours). The clocks go forward in Berlin on Sunday
// 29 March 2026, from UTC+1 to UTC+2.
const nineToFive = { open: 9 * 60, close: 17 * 60 };

async function berlinDesk() {
  const db = getDb();
  await saveBusinessHours(db, {
    timeZone: 'Europe/Berlin',
    days: [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null],
  });
  await saveSlaPolicy(db, 'normal', { firstResponseMinutes: 120, resolutionMinutes: 16 * 60 });
  return db;
}

async function fileAt(now: Date) {
  const requester = await makeUser();
  const created = await createTicket(
    getDb(),
    requester.id,
    { subject: 'The bank feed stopped', body: 'No transactions since Friday.', categoryId: null },
    { source: 'web', now },
  );
  if (!created.ok) throw new Error('ticket');
  return { id: created.id, requester };
}

async function ticketRow(id: number) {
  return getDb().selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('SLA targets in business hours', () => {
  test('a ticket filed on Friday afternoon before the clocks change is due on Monday and Tuesday', async () => {
    await berlinDesk();
    // Friday 27 March, 16:00 in Berlin (15:00 UTC).
    const { id } = await fileAt(new Date('2026-03-27T15:00:00Z'));
    const ticket = await ticketRow(id);
    // One hour on Friday, one on Monday: Monday 10:00, now UTC+2.
    expect(ticket.first_response_due_at).toBe('2026-03-30T08:00:00.000Z');
    // One hour on Friday, 8 on Monday, 7 on Tuesday: Tuesday 16:00.
    expect(ticket.resolution_due_at).toBe('2026-03-31T14:00:00.000Z');
  });

  test('a breach is recorded once, however often the sweep runs, and a reply in time is met', async () => {
    const db = await berlinDesk();
    const late = await fileAt(new Date('2026-03-27T15:00:00Z'));
    const answered = await fileAt(new Date('2026-03-27T15:00:00Z'));
    const agent = await makeUser('agent');
    // The second ticket gets its first reply on Monday at 09:30 Berlin time, in time.
    await addTicketMessage(
      db,
      agent,
      answered.id,
      { kind: 'reply', body: 'Reconnect the feed from Banking, then import once.' },
      new Date('2026-03-30T07:30:00Z'),
    );
    const mondayNoon = new Date('2026-03-30T10:00:00Z');
    await recordBreaches(db, mondayNoon);
    await recordBreaches(db, mondayNoon);
    await recordBreaches(db, new Date('2026-03-30T11:00:00Z'));
    const breaches = await db
      .selectFrom('sla_breaches')
      .select(['ticket_id', 'metric', 'due_at'])
      .where('ticket_id', 'in', [late.id, answered.id])
      .execute();
    expect(breaches).toEqual([
      { ticket_id: late.id, metric: 'first_response', due_at: '2026-03-30T08:00:00.000Z' },
    ]);
    expect(slaClocks(await ticketRow(late.id), mondayNoon)).toEqual([
      {
        metric: 'first_response',
        dueAt: '2026-03-30T08:00:00.000Z',
        state: 'breached',
        minutes: 120,
      },
      { metric: 'resolution', dueAt: '2026-03-31T14:00:00.000Z', state: 'running', minutes: 1680 },
    ]);
    expect(slaClocks(await ticketRow(answered.id), mondayNoon)[0]).toMatchObject({
      state: 'met',
      minutes: 30,
    });
  });

  test('solving before the first reply is due, without a public reply, meets the first-reply target', async () => {
    const db = await berlinDesk();
    const solvedQuietly = await fileAt(new Date('2026-03-27T15:00:00Z'));
    const agent = await makeUser('agent');
    // Solved on Monday at 09:15 Berlin time with an internal note only.
    const solved = await resolveTicket(
      db,
      agent,
      solvedQuietly.id,
      { kind: 'other', note: 'The bank fixed its feed.' },
      new Date('2026-03-30T07:15:00Z'),
    );
    expect(solved).toEqual({ ok: true });
    await recordBreaches(db, new Date('2026-03-31T16:00:00Z'));
    const breaches = await db
      .selectFrom('sla_breaches')
      .select('metric')
      .where('ticket_id', '=', solvedQuietly.id)
      .execute();
    expect(breaches).toEqual([]);
    expect(
      slaClocks(await ticketRow(solvedQuietly.id), new Date('2026-03-31T16:00:00Z')).map(
        (clock) => clock.state,
      ),
    ).toEqual(['met', 'met']);
  });
});

const form = (overrides: Record<string, string> = {}) => {
  const fields: Record<string, string> = { timeZone: 'Europe/Berlin' };
  for (let day = 0; day < 7; day += 1) {
    fields[`open${day}`] = '09:00';
    fields[`close${day}`] = '17:00';
    if (day === 0 || day === 6) fields[`closed${day}`] = 'on';
  }
  for (const priority of ['low', 'normal', 'high', 'urgent']) {
    fields[`firstResponse_${priority}`] = priority === 'urgent' ? '0.5' : '4';
    fields[`resolution_${priority}`] = priority === 'low' ? '' : '16';
  }
  return { ...fields, ...overrides };
};

describe('the service-level settings page', () => {
  test('an admin saves hours and targets; the next ticket gets them', async () => {
    const admin = await makeUser('admin');
    const saved = await postAs(slaSettingsAction, '/admin/sla', admin.id, form());
    expect(locationOf(saved)).toBe('/admin/sla?saved=1');
    const settings = await loaderData(slaSettingsLoader, '/admin/sla', admin.id);
    expect(settings.hours.timeZone).toBe('Europe/Berlin');
    expect(settings.hours.days[0]).toBe(null);
    expect(settings.policies.urgent).toEqual({ firstResponseMinutes: 30, resolutionMinutes: 960 });
    expect(settings.policies.low.resolutionMinutes).toBe(null);
  });

  test('a zone Intl does not know, a day that closes before it opens and words for hours are field errors, with what was typed kept', async () => {
    const admin = await makeUser('admin');
    const failure = formFailureOf(
      await postAs(
        slaSettingsAction,
        '/admin/sla',
        admin.id,
        form({ timeZone: 'Mars/Olympus', close2: '08:00', firstResponse_high: 'soon' }),
      ),
    );
    expect(failure.fieldErrors).toEqual({
      timeZone: 'Choose a time zone from the list.',
      close2: 'Tuesday must close after it opens.',
      firstResponse_high:
        'Use a number of hours above 0, like 4 or 0.5, or leave it empty for no target.',
    });
    expect(failure.values.firstResponse_high).toBe('soon');
  });

  test('every naughty string in every field is a field error or a saved form, never a 500', async () => {
    const admin = await makeUser('admin');
    const naughty = JSON.parse(fs.readFileSync(blnsFile, 'utf8')) as string[];
    for (const value of naughty.filter((_, index) => index % 7 === 0)) {
      const result = await postAs(
        slaSettingsAction,
        '/admin/sla',
        admin.id,
        form({
          timeZone: value,
          open1: value,
          firstResponse_normal: value,
          resolution_high: value,
        }),
      );
      expect([302, 400], value).toContain(statusOf(result));
    }
  });

  test('only admins see or change the settings', async () => {
    const agent = await makeUser('agent');
    expect(statusOf(await getAs(slaSettingsLoader, '/admin/sla', agent.id))).toBe(403);
    expect(statusOf(await postAs(slaSettingsAction, '/admin/sla', agent.id, form()))).toBe(403);
  });
});

describe('priority and the desk', () => {
  test('a new priority gives the ticket that priority’s due times', async () => {
    const db = await berlinDesk();
    await saveSlaPolicy(db, 'urgent', { firstResponseMinutes: 30, resolutionMinutes: 240 });
    const { id } = await fileAt(new Date('2026-03-27T15:00:00Z'));
    const agent = await makeUser('agent');
    const changed = await postAs(
      agentTicketAction,
      `/agent/tickets/${id}`,
      agent.id,
      {
        intent: 'priority',
        priority: 'urgent',
      },
      { id: String(id) },
    );
    expect(locationOf(changed)).toBe(`/agent/tickets/${id}`);
    const ticket = await ticketRow(id);
    expect(ticket.priority).toBe('urgent');
    // Half an hour from Friday 16:00 Berlin; four hours: one on Friday, three on Monday.
    expect(ticket.first_response_due_at).toBe('2026-03-27T15:30:00.000Z');
    expect(ticket.resolution_due_at).toBe('2026-03-30T10:00:00.000Z');
    const refused = await postAs(
      agentTicketAction,
      `/agent/tickets/${id}`,
      agent.id,
      {
        intent: 'priority',
        priority: 'whenever',
      },
      { id: String(id) },
    );
    expect(statusOf(refused)).toBe(400);
  });

  test('"At risk" lists the tickets whose next target is within the hour or past, soonest first', async () => {
    const db = await berlinDesk();
    const agent = await makeUser('agent');
    const first = await fileAt(new Date('2026-03-30T07:00:00Z')); // Monday 09:00: reply due 11:00
    const second = await fileAt(new Date('2026-03-30T06:30:00Z')); // before opening: due 11:00 too
    const later = await fileAt(new Date('2026-03-30T09:00:00Z')); // reply due 13:00
    await db
      .updateTable('tickets')
      .set({ first_response_due_at: '2026-03-30T08:50:00.000Z' })
      .where('id', '=', second.id)
      .execute();
    const now = new Date('2026-03-30T08:30:00Z');
    const list = await listTickets(db, { view: 'at_risk', viewerId: agent.id, now });
    const ids = list.tickets.map((ticket) => ticket.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(later.id);
    expect(list.counts.at_risk).toBe(ids.length);
  });
});
