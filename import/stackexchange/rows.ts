// The rows of a Stack Exchange dump, checked and typed. Each reader returns the row or the reason
// it cannot be imported, so one bad row is reported and skipped instead of stopping the import.

type Attributes = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function integer(attributes: Attributes, name: string): number | null {
  const text = attributes[name];
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return null;
  return Number(text);
}

/** Stack Exchange writes UTC times without a zone: "2021-04-27T15:06:44.553". */
function date(attributes: Attributes, name: string): string | null {
  const text = attributes[name];
  if (!text) return null;
  const parsed = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

function text(attributes: Attributes, name: string): string | null {
  const value = attributes[name];
  return value === undefined || value.trim() === '' ? null : value;
}

/** "<a><b>" (older dumps) or "|a|b|" (newer ones). */
export function tagsOf(value: string | undefined): string[] {
  if (!value) return [];
  const names = value.includes('|') ? value.split('|') : (value.match(/[^<>]+/g) ?? []);
  return [...new Set(names.map((name) => name.trim().toLowerCase()).filter(Boolean))];
}

// Wider than what people may type (30 characters): Stack Exchange allows 35.
const tagPattern = /^[a-z0-9][a-z0-9+#._-]{0,34}$/;
export function isImportableTag(name: string): boolean {
  return tagPattern.test(name);
}

export type UserRow = {
  id: string;
  name: string;
  createdAt: string;
  reputation: number;
};

export function userRow(attributes: Attributes): Parsed<UserRow> {
  const id = integer(attributes, 'Id');
  if (id === null) return fail('the user has no numeric Id');
  const createdAt = date(attributes, 'CreationDate');
  if (!createdAt) return fail('the user has no valid CreationDate');
  return {
    ok: true,
    value: {
      id: String(id),
      name: (text(attributes, 'DisplayName') ?? `user${id}`).trim().slice(0, 80),
      createdAt,
      reputation: integer(attributes, 'Reputation') ?? 1,
    },
  };
}

export const postTypeNames: Record<number, string> = {
  1: 'question',
  2: 'answer',
  3: 'orphaned tag wiki',
  4: 'tag wiki excerpt',
  5: 'tag wiki',
  6: 'moderator nomination',
  7: 'wiki placeholder',
  8: 'privilege wiki',
};

type Owner = { ownerId: string | null; ownerName: string | null };

function ownerOf(attributes: Attributes): Owner {
  const ownerId = integer(attributes, 'OwnerUserId');
  return {
    ownerId: ownerId === null ? null : String(ownerId),
    ownerName: text(attributes, 'OwnerDisplayName'),
  };
}

export type QuestionRow = Owner & {
  id: string;
  title: string;
  bodyHtml: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  /** Who made the edit of `updatedAt` (the Community user's edits are automated). */
  lastEditorId: string | null;
  lastActivityAt: string;
  closed: boolean;
  score: number;
  views: number;
  acceptedAnswerId: string | null;
  license: string | null;
};

export type AnswerRow = Owner & {
  id: string;
  parentId: string;
  bodyHtml: string;
  createdAt: string;
  updatedAt: string;
  lastEditorId: string | null;
  score: number;
  license: string | null;
};

export type PostRow =
  | { type: 'question'; row: QuestionRow }
  | { type: 'answer'; row: AnswerRow }
  | { type: 'other'; id: string; typeName: string };

export function postRow(attributes: Attributes): Parsed<PostRow> {
  const id = integer(attributes, 'Id');
  if (id === null || id <= 0) return fail('the post has no numeric Id');
  const type = integer(attributes, 'PostTypeId');
  if (type === null) return fail('the post has no PostTypeId');
  if (type !== 1 && type !== 2) {
    const typeName = postTypeNames[type];
    if (!typeName) return fail(`unknown PostTypeId ${attributes.PostTypeId}`);
    return { ok: true, value: { type: 'other', id: String(id), typeName } };
  }
  const createdAt = date(attributes, 'CreationDate');
  if (!createdAt) return fail('the post has no valid CreationDate');
  const bodyHtml = attributes.Body;
  if (bodyHtml === undefined) return fail('the post has no Body');
  const updatedAt = date(attributes, 'LastEditDate') ?? createdAt;
  const lastEditorId = integer(attributes, 'LastEditorUserId');
  const common = {
    id: String(id),
    bodyHtml,
    createdAt,
    updatedAt,
    lastEditorId: lastEditorId === null ? null : String(lastEditorId),
    score: integer(attributes, 'Score') ?? 0,
    license: text(attributes, 'ContentLicense'),
    ...ownerOf(attributes),
  };
  if (type === 2) {
    const parentId = integer(attributes, 'ParentId');
    if (parentId === null) return fail('the answer has no ParentId');
    return { ok: true, value: { type: 'answer', row: { ...common, parentId: String(parentId) } } };
  }
  const title = text(attributes, 'Title');
  if (!title) return fail('the question has no Title');
  const accepted = integer(attributes, 'AcceptedAnswerId');
  return {
    ok: true,
    value: {
      type: 'question',
      row: {
        ...common,
        title: title.trim(),
        tags: tagsOf(attributes.Tags),
        lastActivityAt: date(attributes, 'LastActivityDate') ?? updatedAt,
        closed: date(attributes, 'ClosedDate') !== null,
        views: Math.max(0, integer(attributes, 'ViewCount') ?? 0),
        acceptedAnswerId: accepted === null ? null : String(accepted),
      },
    },
  };
}

export type CommentRow = {
  id: string;
  postId: string;
  text: string;
  createdAt: string;
  userId: string | null;
  userName: string | null;
  license: string | null;
};

export function commentRow(attributes: Attributes): Parsed<CommentRow> {
  const id = integer(attributes, 'Id');
  if (id === null) return fail('the comment has no numeric Id');
  const postId = integer(attributes, 'PostId');
  if (postId === null) return fail('the comment has no PostId');
  const body = text(attributes, 'Text');
  if (!body) return fail('the comment has no Text');
  const createdAt = date(attributes, 'CreationDate');
  if (!createdAt) return fail('the comment has no valid CreationDate');
  const userId = integer(attributes, 'UserId');
  return {
    ok: true,
    value: {
      id: String(id),
      postId: String(postId),
      text: body,
      createdAt,
      userId: userId === null ? null : String(userId),
      userName: text(attributes, 'UserDisplayName'),
      license: text(attributes, 'ContentLicense'),
    },
  };
}

export type LinkRow = {
  id: string;
  postId: string;
  relatedPostId: string;
  linkType: number;
  createdAt: string;
};

export function linkRow(attributes: Attributes): Parsed<LinkRow> {
  const id = integer(attributes, 'Id');
  const postId = integer(attributes, 'PostId');
  const relatedPostId = integer(attributes, 'RelatedPostId');
  const linkType = integer(attributes, 'LinkTypeId');
  if (id === null || postId === null || relatedPostId === null || linkType === null)
    return fail('the link needs numeric Id, PostId, RelatedPostId and LinkTypeId');
  return {
    ok: true,
    value: {
      id: String(id),
      postId: String(postId),
      relatedPostId: String(relatedPostId),
      linkType,
      createdAt: date(attributes, 'CreationDate') ?? new Date(0).toISOString(),
    },
  };
}

export type HistoryRow = {
  id: number;
  postId: string;
  revision: string;
  type: number;
  createdAt: string;
  userId: string | null;
  userName: string | null;
  text: string | null;
  comment: string | null;
};

/** Initial and edited title, body and tags, and their rollbacks: what makes a revision. */
export const revisionHistoryTypes = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);

export function historyRow(attributes: Attributes): Parsed<HistoryRow> {
  const id = integer(attributes, 'Id');
  const postId = integer(attributes, 'PostId');
  const type = integer(attributes, 'PostHistoryTypeId');
  const createdAt = date(attributes, 'CreationDate');
  if (id === null || postId === null || type === null || !createdAt)
    return fail('the history row needs numeric Id, PostId, PostHistoryTypeId and a CreationDate');
  const userId = integer(attributes, 'UserId');
  return {
    ok: true,
    value: {
      id,
      postId: String(postId),
      revision: attributes.RevisionGUID ?? `row-${id}`,
      type,
      createdAt,
      userId: userId === null ? null : String(userId),
      userName: text(attributes, 'UserDisplayName'),
      text: attributes.Text ?? null,
      comment: text(attributes, 'Comment'),
    },
  };
}

export function tagRow(attributes: Attributes): Parsed<{ name: string }> {
  const name = text(attributes, 'TagName')?.trim().toLowerCase();
  if (!name) return fail('the tag has no TagName');
  if (!isImportableTag(name)) return fail(`"${name.slice(0, 40)}" is not a usable tag name`);
  return { ok: true, value: { name } };
}

export const voteTypeNames: Record<number, string> = {
  1: 'accepted',
  2: 'up',
  3: 'down',
  4: 'offensive',
  5: 'bookmark',
  6: 'close',
  7: 'reopen',
  8: 'bounty start',
  9: 'bounty close',
  10: 'deletion',
  11: 'undeletion',
  12: 'spam',
  15: 'moderator review',
  16: 'approve edit',
};
