import type { Role } from '#db/schema';

/** Who is asking, as far as permissions go. */
export type Actor = { id: number; role: Role } | null;

/** Members above this reputation may create new tags; staff always may. */
export const newTagReputation = 50;

export function isStaff(actor: Actor): boolean {
  return actor !== null && actor.role !== 'member';
}

export function canModerate(actor: Actor): boolean {
  return actor !== null && (actor.role === 'moderator' || actor.role === 'admin');
}

/** Authors edit their own posts; moderators and admins edit anyone's. */
export function canEdit(actor: Actor, authorId: number): boolean {
  return actor !== null && (actor.id === authorId || canModerate(actor));
}

export const canDelete = canEdit;

/** Deleted content is seen, and restored, by staff only. */
export function canSeeDeleted(actor: Actor): boolean {
  return isStaff(actor);
}

/** The asker, an agent or a moderator (or an admin) accepts an answer. */
export function canAccept(actor: Actor, askerId: number): boolean {
  return actor !== null && (actor.id === askerId || isStaff(actor));
}

export function canCreateTags(actor: Actor, reputation: number): boolean {
  return isStaff(actor) || (actor !== null && reputation >= newTagReputation);
}

/** Agents, moderators and admins write and publish knowledge-base articles. */
export const canWriteArticles = isStaff;

/** States in which content is out of public view, and who besides staff still sees it. */
type Removable = { author_id: number; moderation_state: string | null };

/**
 * Removed content is seen by staff; its author also sees it while it waits for approval or is
 * hidden pending review (with a note saying so), never once it is deleted or removed as spam.
 */
export function canSeeRemoved(actor: Actor, content: Removable): boolean {
  if (canSeeDeleted(actor)) return true;
  return (
    actor !== null &&
    actor.id === content.author_id &&
    (content.moderation_state === 'awaiting_review' || content.moderation_state === 'hidden')
  );
}

/** Content that moderation took out of view comes back through moderators only. */
export function isModerated(state: string | null): boolean {
  return state !== null && state !== 'deleted';
}
