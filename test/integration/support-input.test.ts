import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createApiToken } from '~/models/api-tokens.server';
import { action as createTicketApi } from '~/routes/api.v1.tickets._index';
import { action as agentTicketAction } from '~/routes/agent.tickets.$id/route';
import { action as newRequestAction } from '~/routes/requests.new';
import { action as requestAction, loader as requestLoader } from '~/routes/requests.$id';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import {
  callRoute,
  formFailureOf,
  formRequest,
  locationOf,
  sessionCookieFor,
  statusOf,
} from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

describe.skipIf(naughtyStrings.length === 0)(
  'support input: the Big List of Naughty Strings',
  () => {
    // NOTE: about 3,000 requests (every string as six inputs), so a volume budget like the other
    // bulk tests: on PostgreSQL under CI load this file took 27-35 s in four runs, and the 30 s
    // default ran out once with no step stuck.
    test('as a subject, a body, a reply, a note, a link reference and through the API: a clear error or a stored ticket, never a 500', async () => {
      const customer = await makeUser();
      const agent = await makeUser('agent');
      const admin = await makeUser('admin');
      const customerCookie = await sessionCookieFor(customer.id);
      const agentCookie = await sessionCookieFor(agent.id);
      const { token } = await createApiToken(getDb(), admin.id, {
        name: 'blns',
        scopes: ['tickets:write'],
      });
      const outcomes = { stored: 0, rejected: 0 };
      const count = (status: number, allowed: number[], what: string) => {
        expect(allowed, what).toContain(status);
        outcomes[status >= 400 ? 'rejected' : 'stored']++;
      };
      let ticketId = 0;
      for (const naughty of naughtyStrings) {
        const asSubject = await callRoute(
          newRequestAction,
          formRequest(
            '/requests/new',
            { subject: naughty, body: 'The export button does nothing at all.', categoryId: '' },
            { Cookie: customerCookie },
          ),
        );
        count(statusOf(asSubject), [302, 400], `subject ${JSON.stringify(naughty)}`);
        if (statusOf(asSubject) === 400) {
          // What was typed comes back to the form.
          const values = formFailureOf(asSubject).values;
          expect(values.subject).toBe(naughty);
        }
        const asBody = await callRoute(
          newRequestAction,
          formRequest(
            '/requests/new',
            { subject: 'Naughty strings as a ticket body', body: naughty, categoryId: '' },
            { Cookie: customerCookie },
          ),
        );
        count(statusOf(asBody), [302, 400], `body ${JSON.stringify(naughty)}`);
        if (statusOf(asBody) === 302) {
          ticketId = Number(/\/requests\/(\d+)/.exec(locationOf(asBody) ?? '')?.[1]);
          // The stored text comes back exactly, and renders without scripts.
          const row = await getDb()
            .selectFrom('tickets')
            .select(['body_md', 'body_html'])
            .where('id', '=', ticketId)
            .executeTakeFirstOrThrow();
          expect(row.body_md).toBe(naughty.trim());
          // Only real tags count: escaped text such as &lt;IMG SRC="javascript:…"&gt; is harmless.
          expect(row.body_html).not.toMatch(
            /<script|<[a-z][^>]*\s(on\w+=|(href|src)="\s*javascript:)/i,
          );
        }
        if (!ticketId) continue;
        const params = { id: String(ticketId) };
        const reply = await callRoute(
          requestAction,
          formRequest(`/requests/${ticketId}`, { body: naughty }, { Cookie: customerCookie }),
          params,
        );
        count(statusOf(reply), [302, 400], `reply ${JSON.stringify(naughty)}`);
        for (const intent of ['note', 'reply']) {
          const message = await callRoute(
            agentTicketAction,
            formRequest(
              `/agent/tickets/${ticketId}`,
              { intent, body: naughty, status: 'open' },
              { Cookie: agentCookie },
            ),
            params,
          );
          count(statusOf(message), [302, 400], `${intent} ${JSON.stringify(naughty)}`);
        }
        const link = await callRoute(
          agentTicketAction,
          formRequest(
            `/agent/tickets/${ticketId}`,
            { intent: 'link', reference: naughty },
            { Cookie: agentCookie },
          ),
          params,
        );
        count(statusOf(link), [302, 400], `link ${JSON.stringify(naughty)}`);
        const api = await callRoute(
          createTicketApi,
          new Request('http://localhost/api/v1/tickets', {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({
              subject: naughty,
              body: naughty,
              requester: { email: 'naughty@example.com', name: naughty },
            }),
          }),
        );
        count(statusOf(api), [201, 400], `api ${JSON.stringify(naughty)}`);
      }
      expect(outcomes.stored).toBeGreaterThan(naughtyStrings.length);
      expect(outcomes.rejected).toBeGreaterThan(0);
      // The requester's page still renders with all of it.
      const page = await callRoute(
        requestLoader,
        new Request(`http://localhost/requests/${ticketId}`, {
          headers: { Cookie: customerCookie },
        }),
        { id: String(ticketId) },
      );
      expect(statusOf(page)).toBe(200);
    }, 120_000);
  },
);

describe.skipIf(naughtyStrings.length === 0)('admin input: the Big List of Naughty Strings', () => {
  test('as a token name, a webhook URL and a webhook description: an error or a saved row, never a 500', async () => {
    const { action: tokensAction } = await import('~/routes/admin.api-tokens');
    const { action: webhooksAction } = await import('~/routes/admin.webhooks._index');
    const admin = await makeUser('admin');
    const cookie = await sessionCookieFor(admin.id);
    for (const naughty of naughtyStrings) {
      const tokenResult = await callRoute(
        tokensAction,
        formRequest('/admin/api-tokens', { name: naughty, scopes: 'read' }, { Cookie: cookie }),
      );
      expect([201, 400], `token ${JSON.stringify(naughty)}`).toContain(statusOf(tokenResult));
      for (const fields of [
        { url: naughty, description: '', events: 'ticket.created' },
        { url: 'https://example.com/hook', description: naughty, events: 'ticket.created' },
      ]) {
        const hook = await callRoute(
          webhooksAction,
          formRequest('/admin/webhooks', fields, { Cookie: cookie }),
        );
        expect([302, 400], `webhook ${JSON.stringify(fields)}`).toContain(statusOf(hook));
      }
    }
  });
});
