import type { Database } from '#db/client';
import { postUpdate } from '~/models/problems/problem-updates.server';
import { followProblem, linkToProblem, saveProblem } from '~/models/problems/problems.server';
import { createTicket } from '~/models/tickets.server';

/**
 * Two known issues, played through the model functions: the weekly BF-401 reauthorisation (open,
 * public, with the BF-401 article as its workaround) and R03 returns for new employees (fixed,
 * its tickets solved by the fix). Each gathers tickets from several organisations and a thread.
 */

const day = 86_400_000;

export async function seedKnownIssues(db: Database, now = new Date()): Promise<number> {
  const person = async (username: string) =>
    db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
  const agent = await person('sam.rivera');
  const ticketIds = async (pattern: string, limit: number) =>
    (
      await db
        .selectFrom('tickets')
        .select('id')
        .where('subject', 'like', pattern)
        .where('merged_into_id', 'is', null)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute()
    ).map((row) => row.id);
  const threadId = async (pattern: string) =>
    (
      await db
        .selectFrom('threads')
        .select('id')
        .where('title', 'like', pattern)
        .executeTakeFirstOrThrow()
    ).id;
  const categoryOf = async (slug: string) =>
    String(
      (await db.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst())
        ?.id ?? '',
    );
  let linked = 0;
  const link = async (problemId: number, type: 'ticket' | 'thread', ids: number[], at: Date) => {
    for (const id of ids) {
      const result = await linkToProblem(db, agent, problemId, { type, id }, at);
      if (result.ok) linked += 1;
    }
  };

  const feed = await saveProblem(
    db,
    agent,
    null,
    {
      title: 'Bank feeds ask to reauthorise every week (BF-401)',
      state: 'identified',
      categoryId: await categoryOf('bank-connections'),
      description:
        'Two partner banks moved to 7-day consent tokens. Engineering is moving those banks to the new open-banking connection, which renews consent for 90 days.',
      publicSummary:
        'Feeds from some banks stop after a week with **BF-401** and ask for the bank login again. Reconnecting works for another week. A lasting fix is on its way.',
      public: 'on',
      workaround:
        'article-' +
        (
          await db
            .selectFrom('articles')
            .select('id')
            .where('slug', '=', 'fix-bank-feed-bf-401')
            .executeTakeFirstOrThrow()
        ).id,
      trackerUrl: 'https://tracker.ledgerly.example/BANK-311',
      trackerId: 'BANK-311',
    },
    new Date(now.getTime() - 20 * day),
  );
  if (!feed.ok) throw new Error(`demo known issue rejected: ${JSON.stringify(feed)}`);
  await link(feed.id, 'ticket', await ticketIds('%BF-401%', 8), now);
  await link(
    feed.id,
    'ticket',
    await ticketIds('%reauthorise every single week%', 1),
    new Date(now.getTime() - 19 * day),
  );
  await link(
    feed.id,
    'thread',
    [await threadId('Bank feed stopped updating%BF-401%')],
    new Date(now.getTime() - 19 * day),
  );
  await followProblem(
    db,
    await person('nadia_r'),
    feed.id,
    true,
    new Date(now.getTime() - 10 * day),
  );

  // R03: three organisations, the nurse's ticket among them; fixed yesterday.
  const payroll = await db
    .selectFrom('categories')
    .select('id')
    .where('slug', '=', 'payroll')
    .executeTakeFirst();
  const r03: number[] = await ticketIds('%R03%', 3);
  for (const [username, subject] of [
    ['customer2', 'Direct deposit for a new hire returned R03'],
    ['customer1', 'Payroll deposit bounced with R03 for our new baker'],
  ] as const) {
    const created = await createTicket(
      db,
      (await person(username)).id,
      {
        subject,
        body: 'The bank details are right; the deposit still came back with R03.',
        categoryId: payroll?.id ?? null,
      },
      { source: 'web', now: new Date(now.getTime() - 3.5 * day) },
    );
    if (created.ok) r03.push(created.id);
  }
  const deposits = await saveProblem(
    db,
    agent,
    null,
    {
      title: 'Direct deposits to new employees fail with R03',
      state: 'fix_in_progress',
      categoryId: await categoryOf('payroll'),
      description: 'The bank file put the routing number of new employees in the account field.',
      publicSummary:
        'Direct deposits to employees added since 1 November were returned with **R03**. Deposits to other employees are not affected.',
      public: 'on',
      trackerUrl: 'https://tracker.ledgerly.example/PAY-812',
      trackerId: 'PAY-812',
    },
    new Date(now.getTime() - 3 * day),
  );
  if (!deposits.ok) throw new Error(`demo known issue rejected: ${JSON.stringify(deposits)}`);
  await link(deposits.id, 'ticket', r03, new Date(now.getTime() - 3 * day));
  await link(
    deposits.id,
    'thread',
    [await threadId('Direct deposit failed for one employee%R03%')],
    new Date(now.getTime() - 3 * day),
  );
  await postUpdate(
    db,
    agent,
    deposits.id,
    {
      state: 'fixed',
      note: 'Fixed in the 2 December release. Run the payroll again to resend the returned deposits.',
      public: 1,
      solveLinked: true,
    },
    new Date(now.getTime() - day),
  );
  return linked;
}
