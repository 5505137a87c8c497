import { redirect } from '@remix-run/node';
import { z } from 'zod';
import type { Database } from '#db/client';
import { ticketPriorities, ticketStatuses } from '#db/schema';
import type { SessionUser } from '~/auth/session.server';
import {
  draftArticleFromTicket,
  postTicketToCommunity,
  resolutionSchema,
  resolveTicket,
} from '~/models/resolutions.server';
import { linkTicket, parseLinkReference, unlinkTicket } from '~/models/ticket-links.server';
import {
  addTicketMessage,
  assignTicket,
  messageSchema,
  setTicketStatus,
} from '~/models/tickets.server';
import { applyMacro } from '~/models/macros/macros.server';
import {
  missingToSolve,
  readFieldValues,
  ticketFieldsOf,
  writeFieldValues,
} from '~/models/ticket-fields/ticket-fields.server';
import { linkToProblem, unlinkFromProblem } from '~/models/problems/problems.server';
import { mergeTickets } from '~/models/ticket-merge.server';
import { changePriority } from '~/models/sla/targets.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { formReply, formValues, parseForm } from '~/utils/forms.server';

// One handler per form on an agent's ticket page; each reads its own fields with its own schema.

export type IntentArgs = {
  db: Database;
  user: SessionUser;
  ticketId: number;
  formData: FormData;
  /** The form's name in replies: its intent unless a form has several. */
  form: string;
};

/** A reply with one error for the whole form, keeping what was typed. */
export function refuse({ formData, form }: IntentArgs, status: number, error: string) {
  return formReply(status, { formError: error, form, values: formValues(formData) });
}

const idField = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 40);
const schemas = {
  assign: z.object({ assigneeId: z.union([z.literal(''), idField]) }),
  status: z.object({ status: z.enum(['open', 'pending', 'closed']) }),
  priority: z.object({ priority: z.enum(ticketPriorities) }),
  link: z.object({ reference: z.string().trim().min(1, 'Paste a link or choose a suggestion.') }),
  unlink: z.object({ linkId: idField }),
  message: messageSchema.extend({ status: z.enum(ticketStatuses).optional() }),
  solve: resolutionSchema.extend({
    target: z.string().trim().max(2000).optional(),
    then: z.enum(['nothing', 'community', 'article']).catch('nothing'),
  }),
};

const pageOf = (ticketId: number) => `/agent/tickets/${ticketId}`;

/** A public reply or an internal note, from the one "Respond" form. */
export async function messageAction(args: IntentArgs, kind: 'reply' | 'note') {
  const { db, user, ticketId, formData } = args;
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formReply(400, { form: 'message', ...attached.failure });
  const parsed = parseForm(formData, schemas.message);
  if (!parsed.success)
    return formReply(400, {
      form: 'message',
      fieldErrors: parsed.fieldErrors,
      values: parsed.values,
    });
  const { body, status } = parsed.data;
  const result = await addTicketMessage(db, user, ticketId, { kind, body, status });
  if (!result.ok) return refuse({ ...args, form: 'message' }, result.status, result.error);
  return redirect(`${pageOf(ticketId)}#message-${result.id}`);
}

export async function assignAction(args: IntentArgs) {
  const parsed = schemas.assign.safeParse(Object.fromEntries(args.formData));
  if (!parsed.success) return refuse(args, 400, 'Choose someone from the team.');
  const result = await assignTicket(
    args.db,
    args.user,
    args.ticketId,
    parsed.data.assigneeId || null,
  );
  return result.ok ? redirect(pageOf(args.ticketId)) : refuse(args, result.status, result.error);
}

export async function takeAction(args: IntentArgs) {
  const result = await assignTicket(args.db, args.user, args.ticketId, args.user.id);
  return result.ok ? redirect(pageOf(args.ticketId)) : refuse(args, result.status, result.error);
}

export async function statusAction(args: IntentArgs) {
  const parsed = schemas.status.safeParse(Object.fromEntries(args.formData));
  if (!parsed.success) return refuse(args, 400, 'Choose a status.');
  const result = await setTicketStatus(args.db, args.user, args.ticketId, parsed.data.status);
  return result.ok ? redirect(pageOf(args.ticketId)) : refuse(args, result.status, result.error);
}

export async function priorityAction(args: IntentArgs) {
  const parsed = schemas.priority.safeParse(Object.fromEntries(args.formData));
  if (!parsed.success) return refuse(args, 400, 'Choose a priority.');
  const changed = await changePriority(args.db, args.ticketId, parsed.data.priority);
  return changed
    ? redirect(pageOf(args.ticketId))
    : refuse(args, 404, 'That ticket does not exist.');
}

/** A macro's reply, as edited, and the actions the agent kept. */
export async function macroAction(args: IntentArgs) {
  const { db, user, ticketId, formData } = args;
  const macroId = idField.safeParse(formData.get('macroId'));
  if (!macroId.success) return refuse(args, 400, 'Choose a macro.');
  const parsed = parseForm(formData, messageSchema);
  if (!parsed.success)
    return formReply(400, {
      form: 'macro',
      fieldErrors: parsed.fieldErrors,
      values: parsed.values,
    });
  const keep = formData.getAll('keep').map(String);
  const applied = await applyMacro(db, user, ticketId, macroId.data, {
    body: parsed.data.body,
    keep,
  });
  return applied.ok ? redirect(pageOf(ticketId)) : refuse(args, applied.status, applied.error);
}

/** The ticket's custom fields, all from one form. */
export async function fieldsAction(args: IntentArgs) {
  const { db, ticketId, formData } = args;
  const ticket = await db
    .selectFrom('tickets')
    .select('status')
    .where('id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) return refuse(args, 404, 'That ticket does not exist.');
  if (ticket.status === 'closed') return refuse(args, 400, 'A closed ticket keeps its fields.');
  const read = readFieldValues(await ticketFieldsOf(db), Object.fromEntries(formData), {
    form: true,
  });
  if (!read.ok)
    return formReply(400, {
      form: 'fields',
      fieldErrors: read.fieldErrors,
      values: formValues(formData),
    });
  await writeFieldValues(db, ticketId, read.values);
  return redirect(pageOf(ticketId));
}

/** Links the ticket to a known issue (or takes it off the one it is linked to). */
export async function problemAction(args: IntentArgs) {
  const { db, user, ticketId, formData } = args;
  const target = { type: 'ticket' as const, id: ticketId };
  if (formData.get('unlink')) {
    await unlinkFromProblem(db, user, target);
    return redirect(pageOf(ticketId));
  }
  const problemId = idField.safeParse(formData.get('problemId'));
  if (!problemId.success) return refuse(args, 400, 'Choose a known issue from the list.');
  const linked = await linkToProblem(db, user, problemId.data, target);
  return linked.ok ? redirect(pageOf(ticketId)) : refuse(args, linked.status, linked.error);
}

/** Merges this ticket into the one whose number the agent typed. */
export async function mergeAction(args: IntentArgs) {
  const into = idField.safeParse(String(args.formData.get('into') ?? '').replace(/^#/, ''));
  if (!into.success)
    return formReply(400, {
      form: 'merge',
      fieldErrors: { into: 'Type the number of the ticket to merge this one into.' },
      values: formValues(args.formData),
    });
  const merged = await mergeTickets(args.db, args.user, args.ticketId, into.data);
  if (!merged.ok)
    return formReply(merged.status, {
      form: 'merge',
      fieldErrors: { into: merged.error },
      values: formValues(args.formData),
    });
  return redirect(pageOf(into.data));
}

export async function linkAction({ db, user, ticketId, formData }: IntentArgs) {
  const parsed = parseForm(formData, schemas.link);
  if (!parsed.success)
    return formReply(400, { form: 'link', fieldErrors: parsed.fieldErrors, values: parsed.values });
  const linkError = (status: number, reference: string) =>
    formReply(status, { form: 'link', fieldErrors: { reference }, values: formValues(formData) });
  const target = await parseLinkReference(db, parsed.data.reference);
  if (!target) return linkError(400, 'That is not a link to a question, answer or article here.');
  const result = await linkTicket(db, user.id, ticketId, target);
  return result.ok ? redirect(pageOf(ticketId)) : linkError(result.status, result.error);
}

export async function unlinkAction(args: IntentArgs) {
  const parsed = schemas.unlink.safeParse(Object.fromEntries(args.formData));
  if (!parsed.success) return refuse(args, 400, 'Choose a link to remove.');
  await unlinkTicket(args.db, args.ticketId, parsed.data.linkId);
  return redirect(pageOf(args.ticketId));
}

/** "What resolved it?", then what to do next: nothing, a community thread or an article draft. */
export async function solveAction(args: IntentArgs) {
  const { db, user, ticketId, formData } = args;
  const parsed = parseForm(formData, schemas.solve);
  if (!parsed.success)
    return formReply(400, {
      form: 'solve',
      fieldErrors: parsed.fieldErrors,
      values: parsed.values,
    });
  const fieldError = (status: number, field: string, error: string) =>
    formReply(status, {
      form: 'solve',
      fieldErrors: { [field]: error },
      values: formValues(formData),
    });
  const { target: reference, then, ...input } = parsed.data;
  if ((input.kind === 'article' || input.kind === 'thread') && reference) {
    const target = await parseLinkReference(db, reference);
    const fits =
      target && (input.kind === 'article' ? target.type === 'article' : target.type !== 'article');
    if (!target || !fits)
      return fieldError(
        400,
        'target',
        input.kind === 'article'
          ? 'Choose the article that resolved it.'
          : 'Choose the thread or answer that resolved it.',
      );
    if (target.type === 'article') input.articleId = target.id;
    else if (target.type === 'post') input.postId = target.id;
    else input.threadId = target.id;
  }
  const missing = await missingToSolve(db, ticketId);
  if (missing.length > 0)
    return refuse(args, 400, `Fill in ${missing.join(', ')} under Fields before solving.`);
  const solved = await resolveTicket(db, user, ticketId, input);
  if (!solved.ok)
    return fieldError(solved.status, input.kind === 'other' ? 'note' : 'target', solved.error);
  if (then === 'article') {
    const drafted = await draftArticleFromTicket(db, user, ticketId);
    if (!drafted.ok) return refuse(args, drafted.status, `Solved. ${drafted.error}`);
    return redirect(`/agent/articles/${drafted.articleId}?fromTicket=${ticketId}`);
  }
  if (then === 'community') {
    const posted = await postTicketToCommunity(db, user, ticketId);
    if (!posted.ok) return refuse(args, posted.status, `Solved. ${posted.error}`);
    return redirect(`/questions/${posted.threadId}/${posted.slug}`);
  }
  return redirect(pageOf(ticketId));
}
