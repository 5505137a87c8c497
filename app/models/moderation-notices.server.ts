// The outcome of a flag or a moderator's action, worded here and sent with the page's data, so
// that browsers download no table of messages for the few visits that show one.

export type PageNotice = { tone: 'success' | 'error'; text: string };

const flagMessages: Record<string, string> = {
  '1': 'Thanks for the flag: a moderator will review it.',
  hidden:
    'Thanks for the flag. Enough people flagged it, so it is hidden until a moderator reviews it.',
  own: 'You cannot flag your own post. Edit or delete it instead.',
  already: 'You already flagged this. Moderators will review it.',
  reason: 'Choose why you are flagging it (and say what is wrong for “Something else”).',
};

const modDone: Record<string, string> = {
  lock: 'Locked: no new answers or comments.',
  unlock: 'Unlocked.',
  close: 'Closed.',
  reopen: 'Reopened.',
  duplicate: 'Marked as a duplicate.',
  merge: 'Merged: the answers are here now, and the old address leads here.',
  move: 'Moved.',
  pin: 'Pinned in its category.',
  unpin: 'Unpinned.',
  approve: 'Approved: everyone can see it now.',
  restore: 'Restored.',
  delete: 'Deleted.',
};

const modErrors: Record<string, string> = {
  reason: 'Say why: the reason is shown and kept in the audit log.',
  target: 'Give another question here, by its link or number.',
  invalid: 'That action could not be read.',
};

const awaitingReview =
  'Thanks! A moderator reviews posts with links from new accounts (and posts with certain words) before others see them. Until then only you and the moderators can see it.';

/** A table's message for a key from the address ("constructor" is not a message). */
function messageFor(table: Record<string, string>, key: string | null) {
  return key !== null && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * What the page's address says happened (`?flagged=`, `?flagError=`, `?modDone=`, `?modError=`,
 * `?awaiting=`), as the notices to show at the top of the page it came back to.
 */
export function moderationNotices(params: URLSearchParams): PageNotice[] {
  const notices: PageNotice[] = [];
  const flagged = messageFor(flagMessages, params.get('flagged'));
  const flagError = messageFor(flagMessages, params.get('flagError'));
  if (flagged) notices.push({ tone: 'success', text: flagged });
  else if (flagError) notices.push({ tone: 'error', text: flagError });
  const done = messageFor(modDone, params.get('modDone') ?? params.get('done'));
  const modError = messageFor(modErrors, params.get('modError'));
  if (params.get('awaiting')) notices.push({ tone: 'success', text: awaitingReview });
  else if (done) notices.push({ tone: 'success', text: done });
  else if (modError) notices.push({ tone: 'error', text: modError });
  return notices;
}
