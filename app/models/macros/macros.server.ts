import { z } from 'zod';
import type { Database } from '#db/client';
import { ticketPriorities, type MacroActionKind, type TicketPriority } from '#db/schema';
import { isStaff, type Actor } from '~/models/permissions';
import { resolveTicket } from '~/models/resolutions.server';
import { changePriority } from '~/models/sla/targets.server';
import { findLinkTarget, linkTicket, parseLinkReference } from '~/models/ticket-links.server';
import { addTicketMessage, assignTicket } from '~/models/tickets.server';
import type { FieldErrors } from '~/utils/forms.server';
import {
  displayFieldValue,
  fieldInputName,
  parseFieldValue,
} from '~/models/ticket-fields/field-values';
import {
  missingToSolve,
  ticketFieldsOf,
  writeFieldValues,
} from '~/models/ticket-fields/ticket-fields.server';
import type { Failure } from '~/utils/result';
import {
  articleIdsIn,
  fillPlaceholders,
  firstNameOf,
  placeholderNames,
  unknownPlaceholders,
} from './placeholders';

/**
 * Macros: canned replies with placeholders and actions, shared with the team or one agent's own.
 * Applying one fills its reply for the ticket; the agent edits it, keeps or drops each action,
 * and sends: the same steps, in order, that the ticket page's forms take one by one.
 */

type Staff = NonNullable<Actor>;

/** The form's fields; custom field values come as `fields.<key>` beside them. */
export const macroSchema = z.looseObject({
  title: z
    .string()
    .trim()
    .min(1, 'Give the macro a title agents will recognise.')
    .max(120, 'Use at most 120 characters.'),
  body: z.string().trim().min(1, 'Write the reply.').max(20_000, 'Use at most 20,000 characters.'),
  shared: z.literal('on').optional(),
  status: z.enum(['', 'open', 'pending'], 'Choose a status from the list.'),
  priority: z.enum(['', ...ticketPriorities], 'Choose a priority from the list.'),
  assign: z
    .string()
    .trim()
    .regex(/^(|me|nobody|[1-9]\d{0,11})$/, 'Choose someone from the list.'),
  link: z.string().trim().max(2000, 'Use at most 2,000 characters.'),
  solve: z.literal('on').optional(),
});
export type MacroInput = z.infer<typeof macroSchema>;

type ActionRow = {
  kind: MacroActionKind;
  value: string | null;
  target_type: 'article' | 'thread' | 'field' | null;
  target_id: number | null;
};

/** A custom field still in use, for a macro's field action. */
async function activeField(db: Database, id: number | null) {
  if (id === null) return undefined;
  return (await ticketFieldsOf(db)).find((field) => field.id === id);
}

/** Shared macros any agent may edit? No: admins and their author; a personal one, its owner. */
function mayEdit(actor: Staff, macro: { owner_id: number | null; created_by: number | null }) {
  if (macro.owner_id !== null) return macro.owner_id === actor.id;
  return actor.role === 'admin' || macro.created_by === actor.id;
}

async function actionsFrom(
  db: Database,
  input: MacroInput,
): Promise<{ ok: true; actions: ActionRow[] } | { ok: false; fieldErrors: FieldErrors }> {
  const fieldErrors: FieldErrors = {};
  const unknown = unknownPlaceholders(input.body);
  if (unknown.length > 0)
    fieldErrors.body = `Unknown placeholder ${unknown.map((name) => `{{${name}}}`).join(', ')}. Use ${placeholderNames.map((name) => `{{${name}}}`).join(', ')} or {{article:<id>}}.`;
  for (const id of articleIdsIn(input.body)) {
    if (!(await findLinkTarget(db, { type: 'article', id })))
      fieldErrors.body ??= `There is no article ${id}: choose one with the picker.`;
  }
  const actions: ActionRow[] = [];
  const add = (
    kind: MacroActionKind,
    value: string | null,
    target?: ActionRow['target_type'],
    id?: number,
  ) => actions.push({ kind, value, target_type: target ?? null, target_id: id ?? null });
  if (input.status) add('status', input.status);
  if (input.priority) add('priority', input.priority);
  if (input.assign) {
    if (/^\d+$/.test(input.assign)) {
      const person = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', Number(input.assign))
        .where('role', 'in', ['agent', 'moderator', 'admin'])
        .executeTakeFirst();
      if (!person) fieldErrors.assign = 'Choose someone from the list.';
    }
    add('assign', input.assign);
  }
  if (input.link) {
    const target = await parseLinkReference(db, input.link);
    if (!target || target.type === 'post' || !(await findLinkTarget(db, target)))
      fieldErrors.link = 'Paste the link of an article or question here.';
    else add('link', null, target.type as 'article' | 'thread', target.id);
  }
  for (const field of await ticketFieldsOf(db)) {
    const parsed = parseFieldValue(field, input[fieldInputName(field.key)]);
    if (!parsed.ok) fieldErrors[fieldInputName(field.key)] = parsed.error;
    else if (parsed.value !== null) add('field', parsed.value, 'field', field.id);
  }
  if (input.solve) add('solve', null);
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, actions };
}

/** Creates a macro (id null) or changes one; the actions are replaced by the form's. */
export async function saveMacro(
  db: Database,
  actor: Staff,
  id: number | null,
  input: MacroInput,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors } | Failure> {
  if (!isStaff(actor)) return { ok: false, status: 403, error: 'Only our team writes macros.' };
  if (id !== null) {
    const existing = await db
      .selectFrom('macros')
      .select(['owner_id', 'created_by'])
      .where('id', '=', id)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!existing) return { ok: false, status: 404, error: 'That macro does not exist.' };
    if (!mayEdit(actor, existing))
      return {
        ok: false,
        status: 403,
        error: 'Only its author or an admin changes a shared macro.',
      };
  }
  const built = await actionsFrom(db, input);
  if (!built.ok) return built;
  const at = now.toISOString();
  const row = {
    title: input.title,
    body_md: input.body,
    owner_id: input.shared ? null : actor.id,
    updated_at: at,
  };
  const saved = await db.transaction().execute(async (trx) => {
    const macroId =
      id ??
      (
        await trx
          .insertInto('macros')
          .values({ ...row, created_by: actor.id, created_at: at })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (id !== null) {
      await trx.updateTable('macros').set(row).where('id', '=', id).execute();
      await trx.deleteFrom('macro_actions').where('macro_id', '=', id).execute();
    }
    if (built.actions.length > 0)
      await trx
        .insertInto('macro_actions')
        .values(
          built.actions.map((action, position) => ({ ...action, macro_id: macroId, position })),
        )
        .execute();
    return macroId;
  });
  return { ok: true, id: saved };
}

/** The macros an agent may apply: the team's and their own, most used first. */
export async function macrosFor(db: Database, agentId: number) {
  return db
    .selectFrom('macros')
    .select((eb) => [
      'macros.id',
      'macros.title',
      'macros.owner_id',
      'macros.created_by',
      eb
        .selectFrom('macro_uses')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('macro_uses.macro_id', '=', 'macros.id')
        .as('uses'),
    ])
    .where('macros.archived_at', 'is', null)
    .where((eb) => eb.or([eb('macros.owner_id', 'is', null), eb('macros.owner_id', '=', agentId)]))
    .orderBy('uses', 'desc')
    .orderBy('macros.title')
    .execute();
}

async function macroFor(db: Database, macroId: number, agentId: number) {
  const macro = await db
    .selectFrom('macros')
    .select(['id', 'title', 'body_md', 'owner_id', 'created_by'])
    .where('id', '=', macroId)
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', agentId)]))
    .executeTakeFirst();
  if (!macro) return null;
  const actions = await db
    .selectFrom('macro_actions')
    .select(['kind', 'value', 'target_type', 'target_id'])
    .where('macro_id', '=', macroId)
    .orderBy('position')
    .execute();
  return { ...macro, actions };
}

export type PreparedAction = { key: string; label: string };

/** What applying a macro to a ticket would send and do, for the agent to edit before sending. */
export async function prepareMacro(db: Database, agent: Staff, macroId: number, ticketId: number) {
  const macro = await macroFor(db, macroId, agent.id);
  if (!macro) return null;
  const ticket = await db
    .selectFrom('tickets')
    .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
    .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'requester.display_name as requester_name',
      'organizations.name as organization_name',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return null;
  const me = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', agent.id)
    .executeTakeFirstOrThrow();
  const articles = new Map<number, { title: string; path: string }>();
  for (const id of articleIdsIn(macro.body_md)) {
    const article = await findLinkTarget(db, { type: 'article', id });
    if (article) articles.set(id, { title: article.title, path: article.url });
  }
  const body = fillPlaceholders(macro.body_md, {
    'requester.first_name': firstNameOf(ticket.requester_name),
    'requester.name': ticket.requester_name,
    'ticket.id': String(ticket.id),
    'ticket.subject': ticket.subject,
    'agent.first_name': firstNameOf(me.display_name),
    'organization.name': ticket.organization_name ?? '',
    articles,
  });
  const actions: PreparedAction[] = [];
  for (const [index, action] of macro.actions.entries())
    actions.push({ key: String(index), label: await describeAction(db, action) });
  return { id: macro.id, title: macro.title, body, actions };
}

async function describeAction(db: Database, action: ActionRow): Promise<string> {
  switch (action.kind) {
    case 'status':
      return `Set the status to ${action.value === 'open' ? 'Open' : 'Pending'}`;
    case 'priority':
      return `Set the priority to ${action.value}`;
    case 'assign':
      return action.value === 'me'
        ? 'Assign it to me'
        : action.value === 'nobody'
          ? 'Unassign it'
          : 'Assign it to a teammate';
    case 'field': {
      const field = await activeField(db, action.target_id);
      return field
        ? `Set ${field.label} to ${displayFieldValue(field, action.value)}`
        : 'Set a field that no longer exists (skipped)';
    }
    case 'link': {
      const target =
        action.target_type !== 'field' && action.target_type && action.target_id
          ? await findLinkTarget(db, { type: action.target_type, id: action.target_id })
          : null;
      return target ? `Link “${target.title}”` : 'Link a page that no longer exists (skipped)';
    }
    case 'solve':
      return 'Solve it, with the linked article as what resolved it';
  }
}

/**
 * Sends the (edited) reply and runs the actions the agent kept, in order, then counts the use.
 * Solving credits the article the macro linked, so its "resolved N tickets" rises.
 */
export async function applyMacro(
  db: Database,
  agent: Staff,
  ticketId: number,
  macroId: number,
  input: { body: string; keep: string[] },
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const macro = await macroFor(db, macroId, agent.id);
  if (!macro) return { ok: false, status: 404, error: 'That macro does not exist.' };
  const kept = macro.actions.filter((_, index) => input.keep.includes(String(index)));
  if (kept.some((action) => action.kind === 'solve')) {
    // Fields the ticket needs before solving must be filled in already or by this macro.
    const setHere = new Set<string>();
    for (const action of kept)
      if (action.kind === 'field')
        setHere.add((await activeField(db, action.target_id))?.label ?? '');
    const missing = (await missingToSolve(db, ticketId)).filter((label) => !setHere.has(label));
    if (missing.length > 0)
      return {
        ok: false,
        status: 400,
        error: `Fill in ${missing.join(', ')} under Fields first: this macro solves the ticket.`,
      };
  }
  const status = kept.find((action) => action.kind === 'status')?.value as
    'open' | 'pending' | undefined;
  const replied = await addTicketMessage(
    db,
    agent,
    ticketId,
    { kind: 'reply', body: input.body, status },
    now,
  );
  if (!replied.ok) return replied;
  let solvedWith: number | null = null;
  for (const action of kept) {
    if (action.kind === 'priority' && action.value)
      await changePriority(db, ticketId, action.value as TicketPriority, now);
    if (action.kind === 'assign') {
      const assignee =
        action.value === 'me' ? agent.id : action.value === 'nobody' ? null : Number(action.value);
      const assigned = await assignTicket(db, agent, ticketId, assignee, now);
      if (!assigned.ok) return assigned;
    }
    if (action.kind === 'field') {
      const field = await activeField(db, action.target_id);
      const parsed = field ? parseFieldValue(field, action.value) : null;
      if (field && parsed?.ok)
        await writeFieldValues(db, ticketId, new Map([[field.id, parsed.value]]), now);
    }
    if (
      action.kind === 'link' &&
      action.target_type !== 'field' &&
      action.target_type &&
      action.target_id
    ) {
      const target = await findLinkTarget(db, { type: action.target_type, id: action.target_id });
      if (!target) continue;
      await linkTicket(
        db,
        agent.id,
        ticketId,
        { type: action.target_type, id: target.id },
        'related',
        now,
      );
      if (action.target_type === 'article') solvedWith = target.id;
    }
    if (action.kind === 'solve') {
      const solved = await resolveTicket(
        db,
        agent,
        ticketId,
        solvedWith ? { kind: 'article', articleId: solvedWith } : { kind: 'none' },
        now,
      );
      if (!solved.ok) return solved;
    }
  }
  await db
    .insertInto('macro_uses')
    .values({
      macro_id: macroId,
      ticket_id: ticketId,
      user_id: agent.id,
      created_at: now.toISOString(),
    })
    .execute();
  return { ok: true };
}

/** A macro as its form's values, and whether this person may change it; null if not theirs to see. */
export async function macroFormValues(db: Database, actor: Staff, macroId: number) {
  const macro = await macroFor(db, macroId, actor.id);
  if (!macro) return null;
  const values: Record<string, string> = {
    title: macro.title,
    body: macro.body_md,
    shared: macro.owner_id === null ? 'on' : '',
    status: '',
    priority: '',
    assign: '',
    link: '',
    solve: '',
  };
  const fields = await ticketFieldsOf(db);
  for (const action of macro.actions) {
    const field = fields.find((candidate) => candidate.id === action.target_id);
    if (action.kind === 'field') {
      if (field) values[fieldInputName(field.key)] = action.value ?? '';
    } else if (action.kind === 'link' && action.target_type && action.target_id)
      values.link = `${action.target_type}-${action.target_id}`;
    else if (action.kind === 'solve') values.solve = 'on';
    else values[action.kind] = action.value ?? '';
  }
  return { values, editable: mayEdit(actor, macro) };
}

/** Takes a macro out of every list; its uses stay counted. */
export async function archiveMacro(
  db: Database,
  actor: Staff,
  macroId: number,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const macro = await macroFor(db, macroId, actor.id);
  if (!macro) return { ok: false, status: 404, error: 'That macro does not exist.' };
  if (!mayEdit(actor, macro))
    return { ok: false, status: 403, error: 'Only its author or an admin removes a shared macro.' };
  await db
    .updateTable('macros')
    .set({ archived_at: now.toISOString() })
    .where('id', '=', macroId)
    .execute();
  return { ok: true };
}
