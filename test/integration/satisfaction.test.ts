import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveTicket } from '~/models/resolutions.server';
import { ratingOf } from '~/models/satisfaction.server';
import { createTicket } from '~/models/tickets.server';
import { action as rateAction, loader as rateLoader } from '~/routes/requests.$id_.rate';
import { getDb } from '~/utils/db.server';
import { makeUser, makeVerifiedUser } from '../support/community';
import { callRoute, formFailureOf, formRequest, locationOf, statusOf } from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

/** A ticket filed by a requester who gets mail, solved by an agent; and the mail's two links. */
async function solvedTicket(kind: 'none' | 'other' = 'none') {
  const db = getDb();
  const requester = await makeVerifiedUser();
  const agent = await makeUser('agent');
  const created = await createTicket(
    db,
    requester.id,
    { subject: 'Payslips show last month', body: 'The May payslips say April.', categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error('ticket');
  const solved = await resolveTicket(db, agent, created.id, {
    kind,
    note: kind === 'other' ? 'Fixed on our side.' : undefined,
  });
  if (!solved.ok) throw new Error(solved.error);
  const mail = await db
    .selectFrom('mail_outbox')
    .select(['text_body', 'html_body'])
    .where('user_id', '=', requester.id)
    .where('kind', '=', 'ticket_solved')
    .executeTakeFirstOrThrow();
  const links = [
    ...mail.text_body.matchAll(/https?:\/\/\S+\/requests\/\d+\/rate\?[^\s)>\]]+/g),
  ].map(([url]) => new URL(url.replace(/&amp;/g, '&')));
  return { id: created.id, agent, requester, links, mail };
}

const rateRequest = (id: number, fields: Record<string, string>) =>
  callRoute(rateAction, formRequest(`/requests/${id}/rate`, fields), { id: String(id) });
const ratePage = (id: number, query: string) =>
  callRoute(rateLoader, new Request(`http://localhost/requests/${id}/rate?${query}`), {
    id: String(id),
  });

describe('satisfaction', () => {
  test('the solved mail carries a good and a bad link; opening one records nothing, sending it does, and a second answer replaces the first', async () => {
    const { id, agent, links } = await solvedTicket();
    expect(links.map((link) => link.searchParams.get('rating'))).toEqual(['good', 'bad']);
    const good = links[0]!;
    const token = good.searchParams.get('token') ?? '';
    // A mail scanner's GET: the page, and no rating yet.
    const page = await ratePage(id, good.search.slice(1));
    expect(page).toMatchObject({ subject: 'Payslips show last month', current: { rating: null } });
    const sent = await rateRequest(id, { token, rating: 'good', comment: '' });
    expect(locationOf(sent)).toContain(`/requests/${id}/rate?`);
    expect(await ratingOf(getDb(), id)).toMatchObject({ rating: 'good', comment: null });
    await rateRequest(id, { token, rating: 'bad', comment: 'It came back the next day.' });
    const row = await getDb()
      .selectFrom('satisfaction_ratings')
      .selectAll()
      .where('ticket_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      rating: 'bad',
      comment: 'It came back the next day.',
      agent_id: agent.id,
      resolution_kind: 'none',
    });
  });

  test('a changed token, another ticket’s token and an unsolved ticket get a clear page, never a 500', async () => {
    const { id, links } = await solvedTicket();
    const other = await solvedTicket('other');
    const token = links[0]!.searchParams.get('token') ?? '';
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(statusOf(await ratePage(id, `rating=good&token=${tampered}`))).toBe(400);
    expect(statusOf(await ratePage(other.id, `rating=good&token=${token}`))).toBe(400);
    expect(statusOf(await rateRequest(id, { token: tampered, rating: 'good', comment: '' }))).toBe(
      400,
    );
    expect(await ratingOf(getDb(), id)).toMatchObject({ rating: null });
    const requester = await makeUser();
    const open = await createTicket(
      getDb(),
      requester.id,
      { subject: 'Still open', body: 'Not solved yet.', categoryId: null },
      { source: 'web' },
    );
    if (!open.ok) throw new Error('ticket');
    // A well-signed link to a ticket nobody asked about (never solved) is a 404.
    const { ratingUrl } = await import('~/models/satisfaction.server');
    const unsolved = new URL(await ratingUrl(getDb(), open.id, 'good'));
    expect(statusOf(await ratePage(open.id, unsolved.search.slice(1)))).toBe(404);
  });

  test('every naughty string as a comment or a rating is saved or a field error, with what was typed kept', async () => {
    const { id, links } = await solvedTicket();
    const token = links[0]!.searchParams.get('token') ?? '';
    const naughty = JSON.parse(fs.readFileSync(blnsFile, 'utf8')) as string[];
    for (const value of naughty.filter((_, index) => index % 5 === 0)) {
      const result = await rateRequest(id, { token, rating: 'good', comment: value });
      const status = statusOf(result);
      expect([302, 400], value).toContain(status);
      if (status === 302) {
        const saved = await ratingOf(getDb(), id);
        expect(saved?.comment ?? '', value).toBe(value.trim());
      }
    }
    const wrong = formFailureOf(await rateRequest(id, { token, rating: 'meh', comment: 'hm' }));
    expect(wrong.fieldErrors.rating).toBe('Choose good or bad.');
    expect(wrong.values.comment).toBe('hm');
  });
});
