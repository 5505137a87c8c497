import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createApiToken, createPersonalApiToken } from '~/models/api-tokens.server';
import { applyMacro, saveMacro } from '~/models/macros/macros.server';
import { resolveTicket } from '~/models/resolutions.server';
import { mergeTickets } from '~/models/ticket-merge.server';
import { deskFilters, exportTickets } from '~/models/ticket-fields/desk.server';
import { ticketFieldsOf } from '~/models/ticket-fields/ticket-fields.server';
import { listTickets } from '~/models/ticket-lists.server';
import { createTicket } from '~/models/tickets.server';
import { createWebhook } from '~/models/webhooks.server';
import { action as fieldAction } from '~/routes/admin.ticket-fields.$id';
import { action as ticketAction } from '~/routes/agent.tickets.$id/route';
import { loader as exportLoader } from '~/routes/agent.tickets.export';
import { loader as apiTicketLoader } from '~/routes/api.v1.tickets.$id._index';
import { action as apiCreateAction } from '~/routes/api.v1.tickets._index';
import { action as contactAction, loader as contactLoader } from '~/routes/requests.new';
import { loader as requestLoader } from '~/routes/requests.$id';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import {
  apiRequest,
  callApi,
  formFailureOf,
  formReplyOf,
  getAs,
  loaderData,
  locationOf,
  postAs,
  statusOf,
} from '../support/requests';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');

type People = Record<'admin' | 'agent' | 'customer', Awaited<ReturnType<typeof makeUser>>>;
let people: People;

/** Defines a field the way an admin does, on /admin/ticket-fields/new. */
async function defineField(fields: Record<string, string>) {
  const result = await postAs(fieldAction, '/admin/ticket-fields/new', people.admin.id, fields, {
    id: 'new',
  });
  expect(locationOf(result)).toBe('/admin/ticket-fields');
}

const fieldId = async (key: string) =>
  (await ticketFieldsOf(getDb(), { includeArchived: true })).find((field) => field.key === key)!.id;

async function valuesOf(ticketId: number) {
  const rows = await getDb()
    .selectFrom('ticket_field_values')
    .innerJoin('ticket_fields', 'ticket_fields.id', 'ticket_field_values.field_id')
    .select(['ticket_fields.key', 'ticket_field_values.value'])
    .where('ticket_field_values.ticket_id', '=', ticketId)
    .execute();
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

async function ticketOf(requesterId: number, fields?: Map<number, string | null>) {
  const created = await createTicket(
    getDb(),
    requesterId,
    { subject: 'Invoices show the wrong tax', body: 'Since the rate changed.', categoryId: null },
    { source: 'web', fields },
  );
  if (!created.ok) throw new Error('ticket');
  return created.id;
}

const contact = (fields: Record<string, string>) =>
  postAs(contactAction, '/requests/new', people.customer.id, {
    subject: 'Invoices show the wrong tax',
    body: 'Since the rate changed every invoice is off.',
    categoryId: '',
    ...fields,
  });

beforeAll(async () => {
  people = {
    admin: await makeUser('admin'),
    agent: await makeUser('agent'),
    customer: await makeUser(),
  };
  await defineField({
    label: 'Plan',
    type: 'dropdown',
    options: 'Starter\nPro\n\nEnterprise',
    customerVisible: 'on',
    requiredForCustomer: 'on',
  });
  await defineField({ label: 'Seats', type: 'number', customerVisible: 'on' });
  await defineField({ label: 'Renewal date', key: 'renewal', type: 'date', customerVisible: 'on' });
  await defineField({ label: 'VIP', type: 'checkbox' });
  await defineField({ label: 'Root cause', type: 'text', requiredToSolve: 'on' });
});

describe('admins define ticket fields', () => {
  test('fields get keys from their labels, in order; bad definitions are field errors', async () => {
    const fields = await ticketFieldsOf(getDb());
    expect(fields.map((field) => [field.key, field.type])).toEqual([
      ['plan', 'dropdown'],
      ['seats', 'number'],
      ['renewal', 'date'],
      ['vip', 'checkbox'],
      ['root_cause', 'text'],
    ]);
    expect(fields[0]?.options).toBe('Starter\nPro\nEnterprise');

    const refused = await postAs(
      fieldAction,
      '/admin/ticket-fields/new',
      people.admin.id,
      { label: 'Region', key: 'Plan!', type: 'dropdown', options: '', requiredForCustomer: 'on' },
      { id: 'new' },
    );
    expect(statusOf(refused)).toBe(400);
    expect(formFailureOf(refused)).toMatchObject({
      fieldErrors: {
        key: expect.stringContaining('lowercase letters'),
        options: 'List the choices, one per line.',
        requiredForCustomer: 'Customers can only be asked for a field they see.',
      },
      values: { label: 'Region', key: 'Plan!' },
    });
    const clash = await postAs(
      fieldAction,
      '/admin/ticket-fields/new',
      people.admin.id,
      { label: 'Plan', type: 'text' },
      { id: 'new' },
    );
    expect(formFailureOf(clash).fieldErrors.key).toBe('Another field already has the key plan.');
    // Only admins: an agent gets no further than the role check.
    const byAgent = await postAs(
      fieldAction,
      '/admin/ticket-fields/new',
      people.agent.id,
      { label: 'Sneaky', type: 'text' },
      { id: 'new' },
    ).catch((thrown: unknown) => thrown);
    expect(statusOf(byAgent)).toBe(403);
  });

  test('a field whose tickets hold values keeps its type', async () => {
    const ticketId = await ticketOf(people.customer.id, new Map([[await fieldId('seats'), '3']]));
    expect(ticketId).toBeGreaterThan(0);
    const changed = await postAs(
      fieldAction,
      `/admin/ticket-fields/${await fieldId('seats')}`,
      people.admin.id,
      { label: 'Seats', type: 'text', customerVisible: 'on' },
      { id: String(await fieldId('seats')) },
    );
    expect(formFailureOf(changed).fieldErrors.type).toBe(
      'Tickets already hold values of this field: its type stays.',
    );
  });
});

describe('customers fill in the fields they see', () => {
  test('the contact form asks for customer fields only, requires the required ones and keeps what was typed', async () => {
    const page = await loaderData(contactLoader, '/requests/new', people.customer.id);
    expect(page.fields.map((field) => field.key)).toEqual(['plan', 'seats', 'renewal']);

    const refused = await contact({ 'fields.seats': 'three', 'fields.renewal': '2026-02-30' });
    expect(statusOf(refused)).toBe(400);
    expect(formFailureOf(refused)).toMatchObject({
      fieldErrors: {
        'fields.plan': 'Plan: fill this in.',
        'fields.seats': 'Seats: use a number, like 42 or 3.5.',
        'fields.renewal': 'Renewal date: use a date like 2026-12-31.',
      },
      values: { subject: 'Invoices show the wrong tax', 'fields.seats': 'three' },
    });
    const sneaky = await contact({ 'fields.plan': 'Platinum' });
    expect(formFailureOf(sneaky).fieldErrors['fields.plan']).toBe(
      'Plan: choose one of Starter, Pro, Enterprise.',
    );

    const sent = await contact({
      'fields.plan': 'Pro',
      'fields.seats': ' 12 ',
      'fields.renewal': '2027-01-31',
      // A team-only field is not the customer's to set.
      'fields.vip': '1',
    });
    const ticketId = Number(/\/requests\/(\d+)/.exec(locationOf(sent) ?? '')?.[1]);
    expect(ticketId).toBeGreaterThan(0);
    expect(await valuesOf(ticketId)).toEqual({ plan: 'Pro', seats: '12', renewal: '2027-01-31' });
    const request = await loaderData(requestLoader, `/requests/${ticketId}`, people.customer.id, {
      id: String(ticketId),
    });
    expect(request.details).toEqual([
      { label: 'Plan', value: 'Pro' },
      { label: 'Seats', value: '12' },
      { label: 'Renewal date', value: '2027-01-31' },
    ]);
  });
});

describe('agents and fields', () => {
  test('a field required to solve blocks solving until the agent fills it in', async () => {
    const db = getDb();
    const ticketId = await ticketOf(people.customer.id);
    expect(await resolveTicket(db, people.agent, ticketId, { kind: 'none' })).toEqual({
      ok: false,
      status: 400,
      error: "Fill in Root cause before solving: the ticket's fields say so.",
    });
    const pagePath = `/agent/tickets/${ticketId}`;
    const params = { id: String(ticketId) };
    const solve = await postAs(
      ticketAction,
      pagePath,
      people.agent.id,
      { intent: 'solve', kind: 'none' },
      params,
    );
    expect(formReplyOf(solve).formError).toBe('Fill in Root cause under Fields before solving.');

    const bad = await postAs(
      ticketAction,
      pagePath,
      people.agent.id,
      { intent: 'fields', 'fields.root_cause': 'Tax rate cache', 'fields.seats': '1,5' },
      params,
    );
    expect(formReplyOf(bad)).toMatchObject({
      form: 'fields',
      fieldErrors: { 'fields.seats': 'Seats: use a number, like 42 or 3.5.' },
      values: { 'fields.root_cause': 'Tax rate cache' },
    });
    const saved = await postAs(
      ticketAction,
      pagePath,
      people.agent.id,
      {
        intent: 'fields',
        'fields.root_cause': 'Tax rate cache',
        'fields.vip': '1',
        'fields.plan': 'Starter',
      },
      params,
    );
    expect(locationOf(saved)).toBe(pagePath);
    expect(await valuesOf(ticketId)).toEqual({
      root_cause: 'Tax rate cache',
      vip: '1',
      plan: 'Starter',
    });
    // The form holds every field: an unticked checkbox clears it.
    await postAs(
      ticketAction,
      pagePath,
      people.agent.id,
      { intent: 'fields', 'fields.root_cause': 'Tax rate cache', 'fields.plan': 'Starter' },
      params,
    );
    expect(await valuesOf(ticketId)).toEqual({ root_cause: 'Tax rate cache', plan: 'Starter' });
    expect(await resolveTicket(db, people.agent, ticketId, { kind: 'none' })).toEqual({ ok: true });
  });

  test('a macro sets a field, and its solve counts the field it sets', async () => {
    const db = getDb();
    const saved = await saveMacro(db, people.agent, null, {
      title: 'VIP tax issue',
      body: 'Fixed for you, {{requester.first_name}}.',
      shared: 'on',
      status: '',
      priority: '',
      assign: '',
      link: '',
      solve: 'on',
      'fields.vip': '1',
      'fields.root_cause': 'Stale tax table',
    });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const ticketId = await ticketOf(people.customer.id);
    const applied = await applyMacro(db, people.agent, ticketId, saved.id, {
      body: 'Fixed for you.',
      keep: ['0', '1', '2'],
    });
    expect(applied).toEqual({ ok: true });
    expect(await valuesOf(ticketId)).toEqual({ vip: '1', root_cause: 'Stale tax table' });

    const withoutCause = await saveMacro(db, people.agent, null, {
      title: 'Just solve',
      body: 'Done.',
      shared: 'on',
      status: '',
      priority: '',
      assign: '',
      link: '',
      solve: 'on',
      'fields.seats': 'many',
    });
    expect(withoutCause).toMatchObject({
      ok: false,
      fieldErrors: { 'fields.seats': 'Seats: use a number, like 42 or 3.5.' },
    });
  });

  test('merging keeps the target’s values and takes the rest from the duplicate', async () => {
    const db = getDb();
    const [plan, seats] = [await fieldId('plan'), await fieldId('seats')];
    const source = await ticketOf(
      people.customer.id,
      new Map([
        [plan, 'Enterprise'],
        [seats, '40'],
      ]),
    );
    const target = await ticketOf(people.customer.id, new Map([[plan, 'Pro']]));
    expect(await mergeTickets(db, people.agent, source, target)).toEqual({ ok: true });
    expect(await valuesOf(target)).toEqual({ plan: 'Pro', seats: '40' });
  });
});

describe('fields leave the desk', () => {
  test('the desk filters by dropdowns and checkboxes, and the CSV has a column per field', async () => {
    const db = getDb();
    const [plan, vip] = [await fieldId('plan'), await fieldId('vip')];
    const vipPro = await ticketOf(
      people.customer.id,
      new Map([
        [plan, 'Pro'],
        [vip, '1'],
      ]),
    );
    const starter = await ticketOf(people.customer.id, new Map([[plan, 'Starter']]));
    const fields = await ticketFieldsOf(db);
    const ids = async (query: string) =>
      (
        await listTickets(db, deskFilters(new URLSearchParams(query), people.agent.id, fields))
      ).tickets.map((ticket) => ticket.id);
    expect(await ids('view=new&f.plan=Pro')).toContain(vipPro);
    expect(await ids('view=new&f.plan=Pro')).not.toContain(starter);
    expect(await ids('view=new&f.vip=yes')).toEqual([vipPro]);
    expect(await ids('view=new&f.vip=no')).toContain(starter);
    expect(await ids('view=new&f.vip=no')).not.toContain(vipPro);
    // A choice that is not on the list is no filter at all.
    expect(await ids('view=new&f.plan=Platinum')).toEqual(
      expect.arrayContaining([vipPro, starter]),
    );

    const table = await exportTickets(
      db,
      deskFilters(new URLSearchParams('view=new&f.plan=Pro'), people.agent.id, fields),
      fields,
    );
    const row = table.rows.find((cells) => cells[0] === vipPro)!;
    const cell = (column: string) => row[table.columns.indexOf(column)];
    expect([cell('subject'), cell('priority'), cell('plan'), cell('vip'), cell('seats')]).toEqual([
      'Invoices show the wrong tax',
      'normal',
      'Pro',
      'yes',
      null,
    ]);

    const csv = (await getAs(
      exportLoader,
      '/agent/tickets/export?view=new&f.vip=yes',
      people.agent.id,
    )) as Response;
    expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,subject,status,priority,source,requester,organization,assignee,category,created_at,updated_at,solved_at,first_responded_at,first_response_due_at,resolution_due_at,plan,seats,renewal,vip,root_cause',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      new RegExp(`^${vipPro},Invoices show the wrong tax,new,normal,.*,Pro,,,yes,$`),
    );
    const customerTry = await getAs(
      exportLoader,
      '/agent/tickets/export',
      people.customer.id,
    ).catch((thrown: unknown) => thrown);
    expect([302, 403]).toContain(statusOf(customerTry));
  });

  test('the API gives fields by key (customers: theirs only), takes them on create, and webhooks carry them', async () => {
    const db = getDb();
    const hook = await createWebhook(db, people.admin.id, {
      url: 'http://127.0.0.1:9/hook',
      description: '',
      events: ['ticket.created'],
    });
    if (!hook.ok) throw new Error('webhook');
    const site = await createApiToken(db, people.admin.id, {
      name: 'helpdesk',
      scopes: ['read', 'tickets:write'],
    });
    const body = (fields: unknown) =>
      JSON.stringify({
        subject: 'Payroll export is empty',
        body: 'The CSV has headers only.',
        requester: { email: `${people.customer.username}@example.com` },
        priority: 'high',
        fields,
      });
    const refused = await callApi(
      apiCreateAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: site.token,
        body: body({ seats: 'x', nope: 1 }),
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('fields.seats: Seats: use a number, like 42 or 3.5.');

    const created = await callApi(
      apiCreateAction,
      apiRequest('/tickets', {
        method: 'POST',
        token: site.token,
        body: body({ plan: 'Enterprise', seats: 250, vip: true, renewal: null }),
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      priority: 'high',
      fields: { plan: 'Enterprise', seats: 250, renewal: null, vip: true, root_cause: null },
    });

    const personal = await createPersonalApiToken(db, people.customer, {
      name: 'mine',
      scopes: ['read'],
    });
    if (!personal.ok) throw new Error('token');
    const asCustomer = await callApi(
      apiTicketLoader,
      apiRequest(`/tickets/${created.body.id}`, { token: personal.token }),
      { id: String(created.body.id) },
    );
    expect(asCustomer.body.fields).toEqual({ plan: 'Enterprise', seats: 250, renewal: null });

    const payload = await db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('webhook_id', '=', hook.id)
      .execute()
      .then((rows) => rows.map((row) => JSON.parse(row.payload)));
    const sent = payload.find((one) => one.data.ticket.id === created.body.id);
    expect(sent.data.ticket).toMatchObject({
      priority: 'high',
      fields: { plan: 'Enterprise', seats: 250, vip: true, root_cause: null },
    });
  });
});

describe('naughty strings', () => {
  test('every blns string in a text and a number field is saved as typed or refused with a message', async () => {
    const strings = (JSON.parse(fs.readFileSync(blnsFile, 'utf8')) as string[]).filter(
      (text) => !text.includes('\0'),
    );
    const ticketId = await ticketOf(people.customer.id);
    const params = { id: String(ticketId) };
    for (const text of strings) {
      const result = await postAs(
        ticketAction,
        `/agent/tickets/${ticketId}`,
        people.agent.id,
        { intent: 'fields', 'fields.root_cause': text, 'fields.seats': text },
        params,
      );
      if (locationOf(result)) {
        const saved = await valuesOf(ticketId);
        if (text.trim()) expect(saved.root_cause).toBe(text.trim());
        expect(Number.isFinite(Number(saved.seats ?? 0))).toBe(true);
      } else {
        const reply = formReplyOf(result);
        expect(Object.values(reply.fieldErrors).join(' ')).toMatch(
          /Seats: use a number|at most 500/,
        );
        expect(reply.values['fields.root_cause']).toBe(text);
      }
    }
  });
});
