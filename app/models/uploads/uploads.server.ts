import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '#db/client';
import type { Selectable } from 'kysely';
import type { UploadsTable } from '#db/schema';
import { getConfig, type Config } from '~/utils/config.server';
import { dispositionOf, sniffType } from './file-types';
import { sizeText } from './sizes';
import { processImage } from './images.server';
import { getUploadStore, sha256Hex, type UploadStore } from './store.server';

export type UploadRow = Selectable<UploadsTable>;

/** What POST /uploads answers and what a form inserts into its Markdown (see the upload contract). */
export type UploadInfo = {
  id: string;
  url: string;
  name: string;
  type: string;
  bytes: number;
  width: number | null;
  height: number | null;
  markdown: string;
};

export type UploadRefusal = {
  ok: false;
  status: 400 | 413 | 415 | 429;
  code: 'empty' | 'too_large' | 'daily_limit' | 'type_not_allowed' | 'unreadable_image';
  error: string;
};

export type UploadLimits = Pick<Config, 'UPLOAD_TYPES' | 'UPLOAD_MAX_BYTES' | 'UPLOAD_DAILY_BYTES'>;

const dayMs = 24 * 3_600_000;

/**
 * A file name as people see it (alt text, Content-Disposition): no folders, no control
 * characters, at most 120 characters, never empty.
 */
export function cleanName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned || /^\.+$/.test(cleaned)) return 'file';
  if (cleaned.length <= 120) return cleaned;
  const extension = /\.[a-z0-9]{1,8}$/i.exec(cleaned)?.[0] ?? '';
  return cleaned.slice(0, 120 - extension.length) + extension;
}

/** The name as it appears in the URL: letters, digits, dot, dash and underscore only. */
export function urlName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return safe || 'file';
}

export function uploadUrl(row: Pick<UploadRow, 'id' | 'name'>): string {
  return `/uploads/${row.id}/${urlName(row.name)}`;
}

export function isImageType(type: string): boolean {
  return type.startsWith('image/');
}

/** `![name](url)` for images, `[name](url)` for other files; brackets in the name are escaped. */
export function uploadMarkdown(row: Pick<UploadRow, 'id' | 'name' | 'type'>): string {
  const label = row.name.replace(/([\\[\]])/g, '\\$1');
  return `${isImageType(row.type) ? '!' : ''}[${label}](${uploadUrl(row)})`;
}

export function uploadInfo(row: UploadRow): UploadInfo {
  return {
    id: row.id,
    url: uploadUrl(row),
    name: row.name,
    type: row.type,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    markdown: uploadMarkdown(row),
  };
}

function refuse(
  status: UploadRefusal['status'],
  code: UploadRefusal['code'],
  error: string,
): UploadRefusal {
  return { ok: false, status, code, error };
}

/** Bytes this person uploaded in the 24 hours before `now`. */
async function bytesInLastDay(db: Database, ownerId: number, now: Date): Promise<number> {
  const row = await db
    .selectFrom('uploads')
    .select(sql<number>`coalesce(sum(bytes), 0)`.as('total'))
    .where('owner_id', '=', ownerId)
    .where('created_at', '>', new Date(now.getTime() - dayMs).toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

type Stored = Pick<
  UploadRow,
  | 'type'
  | 'bytes'
  | 'sha256'
  | 'width'
  | 'height'
  | 'display_sha256'
  | 'display_width'
  | 'display_height'
>;

/**
 * Takes one file from a person: checks its size and their daily allowance, judges its type by its
 * bytes, re-encodes images (no metadata survives), stores the bytes by their hash and records the
 * upload as theirs. Nobody else can read it until it is used in something they may read.
 */
export async function storeUpload(
  db: Database,
  owner: { id: number },
  file: { name: string; bytes: Buffer },
  options: { now?: Date; limits?: UploadLimits; store?: UploadStore } = {},
): Promise<{ ok: true; upload: UploadInfo } | UploadRefusal> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? getConfig();
  const store = options.store ?? getUploadStore();
  const name = cleanName(file.name);
  const size = file.bytes.length;
  if (size === 0) return refuse(400, 'empty', `${name} is empty.`);
  if (size > limits.UPLOAD_MAX_BYTES)
    return refuse(
      413,
      'too_large',
      `${name} is ${sizeText(size)}; a file can be at most ${sizeText(limits.UPLOAD_MAX_BYTES)}.`,
    );
  const used = await bytesInLastDay(db, owner.id, now);
  if (used + size > limits.UPLOAD_DAILY_BYTES)
    return refuse(
      429,
      'daily_limit',
      `${name} would take you past ${sizeText(limits.UPLOAD_DAILY_BYTES)} of uploads in a day (you have sent ${sizeText(used)} in the last 24 hours). Try again tomorrow, or link to the file instead.`,
    );

  const sniffed = sniffType(file.bytes, name);
  if (sniffed.kind === 'refused')
    return refuse(415, 'type_not_allowed', `${name} is ${sniffed.what}, which cannot be attached.`);
  if (!limits.UPLOAD_TYPES.includes(sniffed.name))
    return refuse(
      415,
      'type_not_allowed',
      `${name} is a ${sniffed.name.toUpperCase()} file, which cannot be attached here. Allowed: ${limits.UPLOAD_TYPES.join(', ')}.`,
    );

  const sourceSha256 = sha256Hex(file.bytes);
  // The same bytes sent before were already judged and re-encoded: reuse what was stored.
  const previous = await db
    .selectFrom('uploads')
    .select([
      'type',
      'bytes',
      'sha256',
      'width',
      'height',
      'display_sha256',
      'display_width',
      'display_height',
    ])
    .where('source_sha256', '=', sourceSha256)
    .executeTakeFirst();
  let stored: Stored;
  const blobs: { key: string; bytes: Buffer; type: string }[] = [];
  if (previous) {
    stored = previous;
  } else if (sniffed.kind === 'image') {
    const image = await processImage(file.bytes, sniffed.name);
    if (!image)
      return refuse(
        400,
        'unreadable_image',
        `${name} could not be read as an image; is it damaged?`,
      );
    const sha256 = sha256Hex(image.original.bytes);
    blobs.push({ key: sha256, bytes: image.original.bytes, type: sniffed.type });
    const displaySha256 = image.display ? sha256Hex(image.display.bytes) : null;
    if (image.display && displaySha256)
      blobs.push({ key: displaySha256, bytes: image.display.bytes, type: sniffed.type });
    stored = {
      type: sniffed.type,
      bytes: image.original.bytes.length,
      sha256,
      width: image.original.width,
      height: image.original.height,
      display_sha256: displaySha256,
      display_width: image.display?.width ?? null,
      display_height: image.display?.height ?? null,
    };
  } else {
    const sha256 = sourceSha256;
    blobs.push({ key: sha256, bytes: file.bytes, type: sniffed.type });
    stored = {
      type: sniffed.type,
      bytes: size,
      sha256,
      width: null,
      height: null,
      display_sha256: null,
      display_width: null,
      display_height: null,
    };
  }

  // NOTE: the row goes in before the bytes: the cleanup job deletes a stored file only when no row
  // names its hash, so once this row exists a sweep can no longer take the file from under it.
  const row = await db
    .insertInto('uploads')
    .values({
      id: crypto.randomBytes(12).toString('base64url'),
      owner_id: owner.id,
      name,
      source_sha256: sourceSha256,
      created_at: now.toISOString(),
      ...stored,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  try {
    for (const blob of blobs) await store.put(blob.key, blob.bytes, blob.type);
    // A reused upload's file may have been swept since (a rare race with the cleanup job).
    if (previous && !(await store.get(previous.sha256))) throw new Error('stored file missing');
  } catch (error) {
    await db.deleteFrom('uploads').where('id', '=', row.id).execute();
    throw error;
  }
  return { ok: true, upload: uploadInfo(row) };
}

/** The headers every upload is served with; `visibility` decides how long it may be cached. */
export function uploadHeaders(
  row: Pick<UploadRow, 'name' | 'type' | 'sha256'>,
  bytes: number,
  visibility: 'public' | 'private',
): Record<string, string> {
  const disposition = dispositionOf(row.type);
  const asciiName = row.name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return {
    'Content-Type': row.type,
    'Content-Length': String(bytes),
    'Content-Disposition': `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(row.name)}`,
    'X-Content-Type-Options': 'nosniff',
    // Even if a browser were talked into rendering the file as a page, it could run nothing.
    // NOTE: server.ts sends the site's own CSP as well; a browser enforces every policy it gets,
    // so this one still holds (and nosniff arrives twice, which browsers read as nosniff).
    'Content-Security-Policy': "default-src 'none'; sandbox",
    // NOTE: public files may stay in caches for a day after a moderator hides the post that made
    // them public; a ticket's files are never stored by the browser or a proxy.
    'Cache-Control':
      visibility === 'public' ? 'public, max-age=86400, immutable' : 'private, no-store',
  };
}

/**
 * The largest multipart body server.ts lets through: four files at the per-file limit plus the
 * form, so that one file over the limit reaches the app and is refused with a message (and the
 * text kept) instead of a bare 413 page.
 */
export function multipartBodyLimit(config: Pick<Config, 'MAX_BODY_BYTES' | 'UPLOAD_MAX_BYTES'>) {
  return config.MAX_BODY_BYTES + 4 * config.UPLOAD_MAX_BYTES;
}
