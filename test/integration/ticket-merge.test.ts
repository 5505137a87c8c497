import { describe, expect, test } from 'vitest';
import { linkTicket } from '~/models/ticket-links.server';
import { addTicketMessage, createTicket } from '~/models/tickets.server';
import { action as ticketAction, loader as ticketLoader } from '~/routes/agent.tickets.$id/route';
import { loader as requestLoader } from '~/routes/requests.$id';
import { createApiToken } from '~/models/api-tokens.server';
import { loader as apiTicketLoader } from '~/routes/api.v1.tickets.$id._index';
import { getDb } from '~/utils/db.server';
import { makeQuestion, makeUser, makeVerifiedUser } from '../support/community';
import {
  apiRequest,
  callApi,
  formReplyOf,
  getAs,
  locationOf,
  postAs,
  statusOf,
} from '../support/requests';

async function ticketOf(requesterId: number, subject: string) {
  const created = await createTicket(
    getDb(),
    requesterId,
    { subject, body: `${subject}: it started on Monday.`, categoryId: null },
    { source: 'web' },
  );
  if (!created.ok) throw new Error('ticket');
  return created.id;
}

const merge = (agentId: number, source: number, into: string) =>
  postAs(
    ticketAction,
    `/agent/tickets/${source}`,
    agentId,
    { intent: 'merge', into },
    {
      id: String(source),
    },
  );

describe('merging tickets', () => {
  test('messages and links move to the target, the old pages redirect there and the requester is told', async () => {
    const db = getDb();
    const requester = await makeVerifiedUser();
    const agent = await makeUser('agent');
    const target = await ticketOf(requester.id, 'Payroll export is empty');
    const source = await ticketOf(requester.id, 'The payroll CSV has no rows');
    await addTicketMessage(db, requester, source, { kind: 'reply', body: 'Still empty today.' });
    const threadId = await makeQuestion(await makeUser(), 'Payroll export has headers only');
    await linkTicket(db, agent.id, source, { type: 'thread', id: threadId });
    await linkTicket(db, agent.id, target, { type: 'thread', id: threadId });

    expect(locationOf(await merge(agent.id, source, `#${target}`))).toBe(
      `/agent/tickets/${target}`,
    );
    const messages = await db
      .selectFrom('ticket_messages')
      .select(['ticket_id', 'kind', 'body_md'])
      .where('ticket_id', 'in', [source, target])
      .orderBy('id')
      .execute();
    expect(messages.every((message) => message.ticket_id === target)).toBe(true);
    expect(messages.map((message) => message.body_md)).toEqual(
      expect.arrayContaining([
        'Still empty today.',
        expect.stringContaining('The payroll CSV has no rows: it started on Monday.'),
        `Merged #${source} “The payroll CSV has no rows” into this ticket.`,
      ]),
    );
    const links = await db
      .selectFrom('ticket_links')
      .select('ticket_id')
      .where('target_id', '=', threadId)
      .execute();
    expect(links).toEqual([{ ticket_id: target }]);
    const old = await getAs(ticketLoader, `/agent/tickets/${source}`, agent.id, {
      id: String(source),
    });
    expect([statusOf(old), locationOf(old)]).toEqual([301, `/agent/tickets/${target}`]);
    const theirs = await getAs(requestLoader, `/requests/${source}`, requester.id, {
      id: String(source),
    });
    expect(locationOf(theirs)).toBe(`/requests/${target}`);
    const mail = await db
      .selectFrom('mail_outbox')
      .select('subject')
      .where('user_id', '=', requester.id)
      .where('text_body', 'like', '%we joined them%')
      .execute();
    expect(mail).toHaveLength(1);
    // The API answers the old id with the ticket it was merged into.
    const admin = await makeUser('admin');
    const token = await createApiToken(db, admin.id, { name: 'merge test', scopes: ['read'] });
    const answer = await callApi(
      apiTicketLoader,
      apiRequest(`/tickets/${source}`, { token: token.token }),
      { id: String(source) },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(target);
  });

  test('another customer’s ticket, itself, a missing number and words are refused with the reason', async () => {
    const agent = await makeUser('agent');
    const one = await makeUser();
    const other = await makeUser();
    const mine = await ticketOf(one.id, 'Invoices do not send');
    const theirs = await ticketOf(other.id, 'Invoices do not send either');
    const reason = async (into: string) =>
      formReplyOf(await merge(agent.id, mine, into)).fieldErrors.into;
    expect(await reason(String(theirs))).toBe(
      'Only tickets of the same requester or organisation are merged.',
    );
    expect(await reason(String(mine))).toBe('A ticket cannot be merged into itself.');
    expect(await reason('999999999')).toBe('There is no ticket #999999999.');
    expect(await reason('the other one')).toBe(
      'Type the number of the ticket to merge this one into.',
    );
    const member = await makeUser();
    expect(statusOf(await merge(member.id, mine, String(theirs)))).toBe(403);
  });
});
