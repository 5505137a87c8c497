import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { attachFormFiles } from '~/models/uploads/form-files.server';
import { action as uploadAction } from '~/routes/uploads._index';
import { loader as fileLoader } from '~/routes/uploads.$id.$name';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import { sessionCookieFor } from '../support/requests';
import { fileOf, multipartRequest, phoneJpeg, pngOf, responseOf } from '../support/uploads';

type UploadReply = {
  upload: {
    id: string;
    url: string;
    name: string;
    type: string;
    bytes: number;
    width: number | null;
    height: number | null;
    markdown: string;
  };
};
type ErrorReply = { error: { code: string; message: string } };

async function upload(userId: number | null, file: File) {
  const response = await responseOf(
    uploadAction,
    await multipartRequest('/uploads', userId, { file }),
  );
  return { status: response.status, body: (await response.json()) as UploadReply & ErrorReply };
}

/** GET of an upload's address by this person (or a visitor): the loader's whole Response. */
async function fetchUpload(url: string, userId: number | null) {
  const parsed = new URL(url, 'http://localhost');
  const [, , id = '', name = ''] = parsed.pathname.split('/');
  const headers: Record<string, string> =
    userId === null ? {} : { Cookie: await sessionCookieFor(userId) };
  return responseOf(fileLoader, new Request(parsed.href, { headers }), { id, name });
}

function storedFiles(): string[] {
  const root = path.resolve(getConfig().DATA_DIR, 'uploads');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('POST /uploads', () => {
  test('a visitor who is not signed in gets 401 JSON and nothing is stored', async () => {
    const reply = await upload(null, fileOf(await pngOf(40, 30), 'shot.png', 'image/png'));
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('unauthorized');
  });

  test('a member uploads a screenshot and gets its address, size and the Markdown to insert', async () => {
    const member = await makeUser();
    const reply = await upload(
      member.id,
      fileOf(await pngOf(640, 360), 'error dialog.png', 'image/png'),
    );
    expect(reply.status).toBe(201);
    const { upload: stored } = reply.body;
    expect(stored).toMatchObject({
      name: 'error dialog.png',
      type: 'image/png',
      width: 640,
      height: 360,
    });
    expect(stored.url).toBe(`/uploads/${stored.id}/error-dialog.png`);
    expect(stored.markdown).toBe(`![error dialog.png](${stored.url})`);
    const file = await fetchUpload(stored.url, member.id);
    expect(file.status).toBe(200);
    expect(file.headers.get('Content-Type')).toBe('image/png');
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(640);
  });

  test('a JPEG carrying EXIF, a GPS position and a colour profile comes back with no metadata at all', async () => {
    const member = await makeUser();
    const original = await phoneJpeg();
    const before = await sharp(original).metadata();
    expect(before.exif?.length).toBeGreaterThan(0);
    expect(before.icc?.length).toBeGreaterThan(0);
    // The GPS sub-directory's tag (0x8825) is in the EXIF that was sent.
    expect(
      before.exif?.includes(Buffer.from([0x88, 0x25])) ||
        before.exif?.includes(Buffer.from([0x25, 0x88])),
    ).toBe(true);

    const reply = await upload(member.id, fileOf(original, 'IMG_0042.jpg', 'image/jpeg'));
    expect(reply.status).toBe(201);
    expect(reply.body.upload.type).toBe('image/jpeg');
    for (const url of [reply.body.upload.url, `${reply.body.upload.url}?size=display`]) {
      const served = Buffer.from(await (await fetchUpload(url, member.id)).arrayBuffer());
      const after = await sharp(served).metadata();
      expect(after.format).toBe('jpeg');
      expect(after.exif).toBeUndefined();
      expect(after.icc).toBeUndefined();
      expect(after.xmp).toBeUndefined();
      expect(after.iptc).toBeUndefined();
      expect(served.includes(Buffer.from('PhoneCo'))).toBe(false);
    }
  });

  test('a wide image gets a display version at most 1200 px wide beside the original', async () => {
    const member = await makeUser();
    const reply = await upload(member.id, fileOf(await pngOf(2400, 1200), 'wide.png', 'image/png'));
    expect(reply.body.upload).toMatchObject({ width: 2400, height: 1200 });
    const display = await fetchUpload(`${reply.body.upload.url}?size=display`, member.id);
    const size = await sharp(Buffer.from(await display.arrayBuffer())).metadata();
    expect([size.width, size.height]).toEqual([1200, 600]);
  });

  test('a file named .png that is really HTML or SVG is refused, whatever the browser claims', async () => {
    const member = await makeUser();
    const html = Buffer.from(
      '<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>',
    );
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    );
    const bareSvg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    for (const [bytes, what] of [
      [html, 'web page'],
      [svg, 'SVG'],
      [bareSvg, 'SVG'],
    ] as const) {
      const reply = await upload(member.id, fileOf(bytes, 'screenshot.png', 'image/png'));
      expect(reply.status).toBe(415);
      expect(reply.body.error.code).toBe('type_not_allowed');
      expect(reply.body.error.message).toContain('screenshot.png');
      expect(reply.body.error.message).toContain(what);
    }
    const rows = await getDb()
      .selectFrom('uploads')
      .select('id')
      .where('owner_id', '=', member.id)
      .execute();
    expect(rows).toEqual([]);
  });

  test('a text file is served inline as plain text with nosniff and a sandboxing CSP; a zip downloads', async () => {
    const member = await makeUser();
    const log = await upload(
      member.id,
      fileOf(Buffer.from('12:00 sync failed: 503\n'), 'sync.log', 'text/html'),
    );
    expect(log.status).toBe(201);
    expect(log.body.upload.markdown).toBe(`[sync.log](${log.body.upload.url})`);
    const served = await fetchUpload(log.body.upload.url, member.id);
    expect(served.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(served.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
    expect(served.headers.get('Content-Disposition')).toMatch(/^inline; filename="sync.log"/);
    expect(served.headers.get('Cache-Control')).toBe('private, no-store');

    const zipBytes = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
    const zip = await upload(member.id, fileOf(zipBytes, 'export.zip', 'application/zip'));
    const zipServed = await fetchUpload(zip.body.upload.url, member.id);
    expect(zipServed.headers.get('Content-Disposition')).toMatch(/^attachment; /);
  });

  test('an 11 MB file is refused with a message that names it and the limit', async () => {
    const member = await makeUser();
    const big = Buffer.alloc(11 * 1_048_576, 0x41);
    const reply = await upload(member.id, fileOf(big, 'server.log', 'text/plain'));
    expect(reply.status).toBe(413);
    expect(reply.body.error).toEqual({
      code: 'too_large',
      message: 'server.log is 11 MB; a file can be at most 10 MB.',
    });
  });

  test('the same file uploaded twice is stored once', async () => {
    const first = await makeUser();
    const second = await makeUser();
    const bytes = await pngOf(300, 200, '#aa3355');
    const before = storedFiles().length;
    const a = await upload(first.id, fileOf(bytes, 'one.png'));
    const b = await upload(second.id, fileOf(bytes, 'two.png'));
    expect(a.body.upload.id).not.toBe(b.body.upload.id);
    const rows = await getDb()
      .selectFrom('uploads')
      .select('sha256')
      .where('id', 'in', [a.body.upload.id, b.body.upload.id])
      .execute();
    expect(new Set(rows.map((row) => row.sha256)).size).toBe(1);
    expect(storedFiles().length).toBe(before + 1);
    expect(storedFiles()).toContain(rows[0]?.sha256);
  });

  test('an upload nobody has used yet is readable by its owner only', async () => {
    const owner = await makeUser();
    const stranger = await makeUser();
    const reply = await upload(owner.id, fileOf(await pngOf(50, 50), 'draft.png'));
    expect((await fetchUpload(reply.body.upload.url, owner.id)).status).toBe(200);
    expect((await fetchUpload(reply.body.upload.url, stranger.id)).status).toBe(404);
    expect((await fetchUpload(reply.body.upload.url, null)).status).toBe(404);
    // A wrong name, or an id that never existed, answers the same.
    expect(
      (await fetchUpload(reply.body.upload.url.replace('draft.png', 'other.png'), owner.id)).status,
    ).toBe(404);
    expect((await fetchUpload('/uploads/AAAAAAAAAAAAAAAA/draft.png', owner.id)).status).toBe(404);
  });

  test('past the daily allowance an upload is refused until the day has passed', async () => {
    const member = await makeUser();
    const limits = { ...getConfig(), UPLOAD_DAILY_BYTES: 5_000 };
    const text = (n: number) => ({ name: `notes-${n}.txt`, bytes: Buffer.alloc(3_000, 0x61 + n) });
    const { storeUpload } = await import('~/models/uploads/uploads.server');
    const now = new Date('2026-12-12T10:00:00Z');
    expect((await storeUpload(getDb(), member, text(1), { now, limits })).ok).toBe(true);
    const refused = await storeUpload(getDb(), member, text(2), { now, limits });
    expect(refused).toMatchObject({ ok: false, status: 429, code: 'daily_limit' });
    const tomorrow = new Date(now.getTime() + 24 * 3_600_000 + 1_000);
    expect((await storeUpload(getDb(), member, text(2), { now: tomorrow, limits })).ok).toBe(true);
  });
});

describe('attachFormFiles (forms without JavaScript)', () => {
  test('returns one Markdown line per chosen file, and nothing for an empty file field', async () => {
    const member = await makeUser();
    const form = new FormData();
    form.append('body', 'The export fails.');
    form.append('attachments', fileOf(await pngOf(80, 60), 'step 1.png', 'image/png'));
    form.append('attachments', fileOf(Buffer.from('a,b\n1,2\n'), 'rows.csv', 'text/csv'));
    const attached = await attachFormFiles(getDb(), member, form);
    if (!attached.ok) throw new Error(attached.message);
    const lines = attached.markdown.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^!\[step 1\.png\]\(\/uploads\/[\w-]{16}\/step-1\.png\)$/);
    expect(lines[1]).toMatch(/^\[rows\.csv\]\(\/uploads\/[\w-]{16}\/rows\.csv\)$/);

    const empty = new FormData();
    empty.append('attachments', new File([], '', { type: 'application/octet-stream' }));
    expect(await attachFormFiles(getDb(), member, empty)).toEqual({ ok: true, markdown: '' });
  });

  test('an 11 MB file gives a message the form can show beside its file field', async () => {
    const member = await makeUser();
    const form = new FormData();
    form.append(
      'attachments',
      fileOf(Buffer.alloc(11 * 1_048_576 + 200_000, 0x42), 'dump.txt', 'text/plain'),
    );
    expect(await attachFormFiles(getDb(), member, form)).toEqual({
      ok: false,
      message: 'dump.txt is 11.2 MB; a file can be at most 10 MB.',
    });
  });
});
