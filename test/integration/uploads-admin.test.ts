import { describe, expect, test } from 'vitest';
import { createTicket } from '~/models/tickets.server';
import { getUploadStore } from '~/models/uploads/store.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { action, loader } from '~/routes/admin.uploads';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { getAs, loaderData, locationOf, postAs, statusOf } from '../support/requests';
import { pngOf } from '../support/uploads';

async function uploadAs(owner: { id: number }, name: string, bytes: Buffer) {
  const stored = await storeUpload(getDb(), owner, { name, bytes });
  if (!stored.ok) throw new Error(stored.error);
  return stored.upload;
}

describe('/admin/uploads', () => {
  test('lists uploads largest first with their owner and where they are used', async () => {
    const admin = await makeUser('admin');
    const member = await makeUser();
    const big = await uploadAs(member, 'big-log.txt', Buffer.alloc(900_000, 0x61));
    const image = await uploadAs(member, 'shot.png', await pngOf(300, 200));
    const ticketed = await uploadAs(member, 'on-ticket.csv', Buffer.from('a,b\n1,2\n'));
    const thread = await makeQuestion(member);
    const answer = await makeAnswer(member, thread, `As shown: ${image.markdown}`);
    const ticket = await createTicket(
      getDb(),
      member.id,
      {
        subject: 'Import fails on row 2',
        body: `The file: ${ticketed.markdown}`,
        categoryId: null,
      },
      { source: 'web' },
    );
    if (!ticket.ok) throw new Error('ticket');

    const page = await loaderData(loader, `/admin/uploads?owner=${member.username}`, admin.id);
    expect(page.uploads.map((upload) => upload.name)).toEqual([
      'big-log.txt',
      'shot.png',
      'on-ticket.csv',
    ]);
    const [first, second, third] = page.uploads;
    expect(first?.usedIn).toEqual([]);
    expect(first?.owner_username).toBe(member.username);
    expect(second?.usedIn).toEqual([
      expect.objectContaining({
        type: 'post',
        href: expect.stringMatching(new RegExp(`^/questions/${thread}/.*#answer-${answer}$`)),
      }),
    ]);
    expect(third?.usedIn).toEqual([
      { type: 'ticket', label: `Ticket #${ticket.id}`, href: `/agent/tickets/${ticket.id}` },
    ]);
    expect(big.bytes).toBe(900_000);
  });

  test('is for admins only', async () => {
    for (const role of ['member', 'agent', 'moderator'] as const) {
      const person = await makeUser(role);
      expect(statusOf(await getAs(loader, '/admin/uploads', person.id))).toBe(403);
    }
  });

  test('an admin deletes an upload: its row, its stored file, and an entry in the audit log', async () => {
    const admin = await makeUser('admin');
    const member = await makeUser();
    const doomed = await uploadAs(member, 'doxx.png', await pngOf(333, 111, '#123456'));
    const { sha256 } = await getDb()
      .selectFrom('uploads')
      .select('sha256')
      .where('id', '=', doomed.id)
      .executeTakeFirstOrThrow();
    const result = await postAs(action, '/admin/uploads', admin.id, {
      intent: 'delete',
      uploadId: doomed.id,
    });
    expect(locationOf(result)).toBe('/admin/uploads?deleted=doxx.png');
    expect(
      await getDb()
        .selectFrom('uploads')
        .select('id')
        .where('id', '=', doomed.id)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(await getUploadStore().get(sha256)).toBeNull();
    const logged = await getDb()
      .selectFrom('moderation_log')
      .select(['action', 'target_user_id'])
      .where('actor_id', '=', admin.id)
      .executeTakeFirstOrThrow();
    expect(logged).toEqual({ action: 'upload_delete', target_user_id: member.id });

    const again = await postAs(action, '/admin/uploads', admin.id, {
      intent: 'delete',
      uploadId: doomed.id,
    });
    expect(statusOf(again)).toBe(404);
    const member2 = await makeUser();
    const forbidden = await postAs(action, '/admin/uploads', member2.id, {
      intent: 'delete',
      uploadId: doomed.id,
    });
    expect(statusOf(forbidden)).toBe(403);
  });
});
