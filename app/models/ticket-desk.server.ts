import type { Database } from '#db/client';
import { searchContent } from '#search/engine';
import { staffMembers } from './articles.server';
import { organizationActivity } from './customers.server';
import { answersOfLinkedThreads } from './ticket-links.server';
import { requestsOf } from './ticket-lists.server';
import { fieldInputName } from './ticket-fields/field-values';
import {
  fieldValuesOf,
  missingToSolve,
  ticketFieldsOf,
} from './ticket-fields/ticket-fields.server';
import { openProblems, problemOf } from './problems/problems.server';
import { similarTickets } from './ticket-similar.server';
import { getTicket } from './tickets.server';

/**
 * What an agent's ticket page shows: the ticket with its messages and links, the answers in linked
 * threads, who can take it, similar tickets and content, and what else the customer (or their
 * organization) did lately. Null when there is no such ticket.
 */
export async function agentTicketPage(db: Database, ticketId: number) {
  const found = await getTicket(db, ticketId);
  if (!found) return null;
  const { ticket, links } = found;
  const threadIds = [
    ...new Set(links.map((link) => link.threadId).filter((value) => value !== null)),
  ];
  const [
    answers,
    staff,
    similar,
    similarContent,
    customer,
    fields,
    values,
    missing,
    problem,
    problems,
  ] = await Promise.all([
    answersOfLinkedThreads(db, threadIds),
    staffMembers(db),
    similarTickets(db, ticketId, ticket.subject),
    // Search being down leaves the suggestions out, not the page.
    // The agent sees everything; what they send the customer is theirs to choose.
    searchContent(db, {
      q: ticket.subject.slice(0, 200),
      audience: 'all',
      limit: 6,
      offset: 0,
      facets: false,
    })
      .then((results) => results.hits)
      .catch(() => []),
    ticket.organization_id
      ? organizationActivity(db, ticket.organization_id, { excludeTicketId: ticketId })
      : requestsOf(db, ticket.requester_id).then((tickets) => ({
          tickets: tickets
            .filter((other) => other.id !== ticketId)
            .map((other) => ({ ...other, requester_name: ticket.requester_name })),
          threads: [],
          searches: [],
          since: null,
        })),
    ticketFieldsOf(db),
    fieldValuesOf(db, [ticketId]),
    missingToSolve(db, ticketId),
    problemOf(db, { type: 'ticket', id: ticketId }),
    openProblems(db, ticket.subject),
  ]);
  const own = values.get(ticketId);
  const linkedKeys = new Set(links.map((link) => `${link.target_type}-${link.target_id}`));
  return {
    ...found,
    answers,
    staff,
    similar,
    /** Titles may carry search match markers: the page shows them as plain text. */
    similarContent: similarContent
      .filter((hit) => !linkedKeys.has(hit.key))
      .map((hit) => ({ key: hit.key, type: hit.type, title: hit.title, url: hit.url })),
    customer,
    fields,
    /** Saved values by input name (`fields.<key>`), as the field card's form reads them. */
    fieldValues: Object.fromEntries(
      fields.map((field) => [fieldInputName(field.key), own?.get(field.id) ?? '']),
    ),
    /** Fields the agent must fill in before solving, still empty. */
    missingToSolve: missing,
    /** The known issue this ticket reports, and the open ones it could be linked to. */
    problem: problem ? { id: problem.id, title: problem.title, state: problem.state } : null,
    openProblems: problems,
  };
}
