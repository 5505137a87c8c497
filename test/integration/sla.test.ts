import { describe, expect, test } from 'vitest';
import {
  recordBreaches,
  saveBusinessHours,
  saveSlaPolicy,
  slaClocks,
} from '~/models/sla/targets.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';

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
});
