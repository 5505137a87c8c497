import type { Database } from '#db/client';
import type { ResolutionKind, TicketPriority, TicketSource } from '#db/schema';
import { recordSearch } from '~/models/search-events.server';
import { changePriority, saveBusinessHours, saveSlaPolicy } from '~/models/sla/targets.server';
import {
  saveTicketField,
  type TicketFieldInput,
} from '~/models/ticket-fields/ticket-fields.server';
import { draftArticleFromTicket, resolveTicket } from '~/models/resolutions.server';
import {
  addTicketMessage,
  assignTicket,
  createTicket,
  setTicketStatus,
} from '~/models/tickets.server';
import { escalateThread } from '~/models/ticket-escalation.server';
import { linkTicket } from '~/models/ticket-links.server';

const day = 24 * 60 * 60 * 1000;
const hour = 60 * 60 * 1000;

type Page = { article: string } | { thread: string };

type SeedTicket = {
  daysAgo: number;
  requester: string;
  subject: string;
  body: string;
  category: string;
  /** Filed from an article or thread page, or escalated from a thread (its title's start). */
  from?: Page;
  escalatedFrom?: { thread: string; by: string; note: string };
  externalId?: string;
  /** Messages after the first: [author, kind, body]. */
  messages?: [string, 'reply' | 'note', string][];
  links?: Page[];
  resolved?: { kind: ResolutionKind; by: string; target?: Page; note?: string };
  draftArticle?: boolean;
  finalStatus?: 'open' | 'pending' | 'closed';
  assignee?: string;
  /** Set when the customer says how much it hurts (normal otherwise). */
  priority?: TicketPriority;
};

/** Ledgerly's support desk: London office hours, targets in business hours per priority. */
const eightToSix = { open: 8 * 60, close: 18 * 60 };
const demoHours = {
  timeZone: 'Europe/London',
  days: [null, eightToSix, eightToSix, eightToSix, eightToSix, eightToSix, null],
};
const demoTargets: [TicketPriority, number, number][] = [
  ['urgent', 60, 8 * 60],
  ['high', 4 * 60, 2 * 10 * 60],
  ['normal', 8 * 60, 5 * 10 * 60],
  ['low', 2 * 10 * 60, 10 * 10 * 60],
];

/** Support conversations at Ledgerly, written by the Commons team. */
const tickets: SeedTicket[] = [
  // Resolved with the team's internal articles and a beta-programme thread: the gap dashboard's
  // "Self-service by audience" shows what content customers cannot read resolves.
  {
    daysAgo: 12,
    requester: 'priya.h',
    subject: 'Bank feed stopped importing after the bank changed its name',
    body: 'Our bank merged with another one and since Monday nothing new comes in. The feed still says Connected.',
    category: 'bank-connections',
    links: [{ article: 'internal-bank-feed-checks' }],
    messages: [
      [
        'sam.rivera',
        'reply',
        'I ran through our [bank feed checks](/kb/internal-bank-feed-checks): the merged bank has a new connector. Disconnect the feed and connect it again choosing the new bank name; your history stays.',
      ],
      ['priya.h', 'reply', 'Reconnected under the new name and the week came in. Thanks!'],
    ],
    resolved: {
      kind: 'article',
      by: 'sam.rivera',
      target: { article: 'internal-bank-feed-checks' },
    },
  },
  {
    daysAgo: 6,
    requester: 'lena.k',
    subject: 'Charged for a year we did not mean to renew',
    body: 'Our subscription renewed for a whole year last week; we meant to move to monthly. Can we get the yearly charge back?',
    category: 'invoices-payments',
    messages: [
      [
        'sam.rivera',
        'note',
        'Renewed 5 days ago, no use of annual-only features: inside the exception rules.',
      ],
      [
        'sam.rivera',
        'reply',
        'We have refunded the yearly charge and moved you to monthly from today; the refund reaches your card in 3 to 5 working days.',
      ],
    ],
    resolved: {
      kind: 'article',
      by: 'sam.rivera',
      target: { article: 'internal-refund-exceptions' },
    },
  },
  {
    daysAgo: 9,
    requester: 'rob.tanaka',
    subject: 'Forecast shows our rent twice this month',
    body: 'The cash flow forecast (beta) counts the office rent twice in March. Is the forecast wrong or did we set something up twice?',
    category: 'taxes-reports',
    messages: [
      [
        'sam.rivera',
        'reply',
        'It is a known edge in the beta: when the next draft of a recurring bill already exists, the forecast counts both. The beta programme thread has the workaround; a fix ships next month.',
      ],
    ],
    resolved: {
      kind: 'thread',
      by: 'sam.rivera',
      target: { thread: 'Forecast counts a recurring bill twice' },
    },
  },
  {
    daysAgo: 41,
    requester: 'jonas.berg',
    subject: 'Bank feed asks us to reauthorise every single week',
    body: 'We did the BF-401 steps from your article twice. The feed works for a few days and then asks for the bank login again. Is it us or the bank?',
    category: 'bank-connections',
    from: { article: 'fix-bank-feed-bf-401' },
    messages: [
      [
        'sam.rivera',
        'note',
        'Their bank moved to 7-day consent tokens last month. Known on the bank side.',
      ],
      [
        'sam.rivera',
        'reply',
        'It is the bank: since October it only grants a 7-day consent. Step 4 of the article ("extend consent to 90 days") is the one that makes it stick. Could you try it once more and tell me if the prompt comes back?',
      ],
      ['jonas.berg', 'reply', 'Step 4 did it, no prompt for two weeks now. Thank you!'],
    ],
    resolved: { kind: 'article', by: 'sam.rivera', target: { article: 'fix-bank-feed-bf-401' } },
  },
  {
    daysAgo: 9,
    requester: 'ian.mcd',
    subject: 'Card tips from Square end up in Sales',
    body: 'Our Square sync books every tip as sales revenue, so our VAT looks too high. Nobody in the community has answered yet.',
    category: 'integrations-api',
    escalatedFrom: {
      thread: 'Square sync puts card tips into Sales',
      by: 'ian.mcd',
      note: 'Our VAT return is due at the end of the month, so this is getting urgent.',
    },
    messages: [
      [
        'sam.rivera',
        'note',
        'Square mapping UI has no tips field yet. Workaround: bank rule on the payout line.',
      ],
      [
        'sam.rivera',
        'reply',
        'Thanks Ian. The Square connector cannot map tips separately yet. Until it can, add a bank rule on Square payouts that moves the tip amount to a "Tips payable" liability account. Shall I set the rule up with you on a call?',
      ],
    ],
    finalStatus: 'pending',
  },
  {
    daysAgo: 1,
    requester: 'lena.k',
    subject: 'Payroll run stuck on "Submitting" since this morning',
    priority: 'urgent',
    body: 'The April payroll has said Submitting for five hours. Staff are paid tomorrow. Can someone look right away?',
    category: 'payroll',
  },
  {
    daysAgo: 33,
    requester: 'priya.h',
    subject: 'How do I see profit per project?',
    body: 'We want a Profit & Loss for each architecture project. Tracking categories or separate accounts?',
    category: 'taxes-reports',
    links: [{ thread: 'Profit & Loss for each architecture project' }],
    messages: [
      [
        'sam.rivera',
        'reply',
        'Tracking categories are the way: one category "Project" with an option per project, then run Profit & Loss filtered by it. The community thread I linked walks through the set-up.',
      ],
    ],
    resolved: {
      kind: 'thread',
      by: 'sam.rivera',
      target: { thread: 'Profit & Loss for each architecture project' },
    },
  },
  {
    daysAgo: 27,
    requester: 'felix.w',
    subject: 'Invoicing a Dutch client in EUR while our books are in GBP',
    body: 'Can we send an invoice in EUR and still report in GBP? What rate is used when the payment arrives?',
    category: 'invoices-payments',
    messages: [
      [
        'sam.rivera',
        'reply',
        'Yes: set the customer currency to EUR and Ledgerly converts at the daily rate on the invoice date. When the payment lands, the difference goes to "Realised currency gains/losses" automatically.',
      ],
    ],
    resolved: {
      kind: 'none',
      by: 'sam.rivera',
      note: 'Third question about foreign-currency invoices this month; no article covers it.',
    },
  },
  {
    daysAgo: 4,
    requester: 'tom_walsh',
    subject: 'Direct deposit failed (R03) for our new nurse',
    priority: 'high',
    body: 'We checked the account number with her twice. The article says R03 means the account cannot be found. What now?',
    category: 'payroll',
    from: { article: 'direct-deposit-failed' },
    messages: [
      [
        'sam.rivera',
        'reply',
        'Could you send a screenshot of her bank details page (hide all but the last four digits)? R03 with correct numbers usually means a savings account that does not accept ACH credits.',
      ],
      [
        'tom_walsh',
        'reply',
        'It is a savings account. She is asking her bank now. Do we pay her by cheque meanwhile?',
      ],
    ],
    finalStatus: 'open',
  },
  {
    daysAgo: 16,
    requester: 'grace.m',
    subject: "PTO balance didn't change after moving to 37.5 hours",
    body: 'Same as my community question: the accrual still uses 30 hours a week.',
    category: 'payroll',
    escalatedFrom: {
      thread: "PTO balance didn't change after I moved an employee",
      by: 'sam.rivera',
      note: 'Escalated by support: accrual bug or set-up?',
    },
    messages: [
      [
        'sam.rivera',
        'reply',
        'Changing hours does not re-run past accruals. Open the employee, go to Leave → Accrual, and press "Recalculate from" with the date the new hours started. Balances update on the next pay run.',
      ],
      ['grace.m', 'reply', 'Recalculated, and the balance is right now. Thanks.'],
    ],
    resolved: { kind: 'none', by: 'sam.rivera' },
    draftArticle: true,
  },
  {
    daysAgo: 58,
    requester: 'grace.m',
    subject: 'Auditors want every report for last year in one go',
    priority: 'low',
    body: 'Our auditors need P&L, balance sheet and the VAT returns for 2025. Is there a bulk export?',
    category: 'taxes-reports',
    links: [{ article: 'share-reports' }],
    messages: [
      [
        'sam.rivera',
        'reply',
        'Invite your auditors as read-only report users (see the article on sharing reports); they can then export everything themselves.',
      ],
    ],
    resolved: { kind: 'article', by: 'sam.rivera', target: { article: 'share-reports' } },
    finalStatus: 'closed',
  },
  {
    daysAgo: 12,
    requester: 'dev.olu',
    subject: '429 Too Many Requests during our nightly sync',
    body: 'Our nightly job syncs 4,000 invoices and starts failing after a minute with 429.',
    category: 'integrations-api',
    from: { article: 'api-rate-limits' },
    messages: [
      [
        'sam.rivera',
        'reply',
        'The limit is 60 requests per minute per token; the Retry-After header tells you how long to wait. The batch endpoint takes 100 invoices per call, which brings your sync to 40 requests.',
      ],
    ],
    resolved: { kind: 'article', by: 'sam.rivera', target: { article: 'api-rate-limits' } },
  },
  {
    daysAgo: 3,
    requester: 'carlos.mendez',
    subject: 'Webhook signatures never verify in our Node service',
    body: 'We compute HMAC-SHA256 of the body with our secret and compare to webhook-signature. Never matches.',
    category: 'integrations-api',
    links: [{ thread: 'Webhook signature verification keeps failing in Node' }],
    messages: [
      [
        'sam.rivera',
        'reply',
        'The signed content is "id.timestamp.body", and the secret is the base64 part after whsec_, decoded. Could you check both and send one failing example?',
      ],
    ],
    finalStatus: 'pending',
    assignee: 'sam.rivera',
  },
  {
    daysAgo: 20,
    requester: 'priya.h',
    subject: 'We were charged twice after upgrading to Pro',
    priority: 'high',
    body: 'Two charges of £39 on the same day after we upgraded mid-cycle.',
    category: 'account-billing',
    messages: [
      ['ada', 'note', 'Stripe shows a failed proration retry that succeeded twice. Refund one.'],
      [
        'ada',
        'reply',
        'Sorry about that. One charge was a duplicate of the proration; I have refunded it and you will see it in 3–5 days.',
      ],
    ],
    resolved: { kind: 'other', by: 'ada', note: 'Billing error on our side: duplicate refunded.' },
  },
  {
    daysAgo: 2,
    requester: 'grace.m',
    subject: 'Partly paid invoice shows as overdue',
    body: 'A customer paid half; the invoice now says Overdue and the reminder went out for the full amount.',
    category: 'invoices-payments',
    escalatedFrom: {
      thread: 'Invoice with a partial payment shows "Overdue"',
      by: 'grace.m',
      note: '',
    },
    assignee: 'sam.rivera',
  },
  {
    daysAgo: 6,
    requester: 'tom_walsh',
    subject: 'Reports page is blank on the clinic laptops',
    priority: 'high',
    body: 'Mirrored from the clinic IT helpdesk: Reports opens as a blank page on the two reception laptops (Edge).',
    category: 'taxes-reports',
    externalId: 'ZD-4812',
  },
];

/** What the demo team records on tickets: the customer's plan, and whether a bug is confirmed. */
const demoFields: TicketFieldInput[] = [
  {
    label: 'Plan',
    type: 'dropdown',
    options: 'Starter\nGrowth\nScale',
    hint: 'On your Billing page, under Subscription.',
    customerVisible: 1,
    requiredForCustomer: 0,
    requiredToSolve: 0,
  },
  {
    label: 'Bug confirmed',
    type: 'checkbox',
    options: '',
    hint: 'Reproduced by the team and filed with engineering.',
    customerVisible: 0,
    requiredForCustomer: 0,
    requiredToSolve: 0,
  },
];

const searches: [string, string, number, number][] = [
  ['jonas.berg', 'bank feed reauthorise every week', 2, 42],
  ['jonas.berg', 'partial payment overdue', 1, 3],
  ['nadia_r', 'square tips', 0, 10],
  ['nadia_r', 'tips separate account', 0, 9],
  ['tom_walsh', 'direct deposit r03', 2, 5],
  ['grace.m', 'pto recalculate', 0, 17],
  ['priya.h', 'profit per project', 3, 34],
  ['felix.w', 'invoice in euro', 0, 28],
];

/** Tickets in every state across the demo organisations, played through the model functions. */
export async function seedSupport(db: Database, now = new Date()): Promise<number> {
  await saveBusinessHours(db, demoHours, now);
  for (const [priority, firstResponse, resolution] of demoTargets)
    await saveSlaPolicy(
      db,
      priority,
      { firstResponseMinutes: firstResponse, resolutionMinutes: resolution },
      now,
    );
  const users = await db.selectFrom('users').select(['id', 'username', 'role']).execute();
  const person = (username: string) => {
    const found = users.find((user) => user.username === username);
    if (!found) throw new Error(`demo ticket names an unknown user: ${username}`);
    return found;
  };
  const admin = users.find((user) => user.role === 'admin');
  if (admin) for (const field of demoFields) await saveTicketField(db, admin, null, field, now);
  const categories = await db.selectFrom('categories').select(['id', 'slug']).execute();
  const pageOf = async (page: Page) => {
    if ('article' in page) {
      const article = await db
        .selectFrom('articles')
        .select('id')
        .where('slug', '=', page.article)
        .executeTakeFirstOrThrow();
      return { type: 'article' as const, id: article.id };
    }
    const thread = await db
      .selectFrom('threads')
      .select('id')
      .where('title', 'like', `${page.thread}%`)
      .executeTakeFirstOrThrow();
    return { type: 'thread' as const, id: thread.id };
  };

  for (const seed of [...tickets].sort((a, b) => b.daysAgo - a.daysAgo)) {
    let at = new Date(now.getTime() - seed.daysAgo * day);
    const later = () => (at = new Date(at.getTime() + 3 * hour));
    const requester = person(seed.requester);
    const input = {
      subject: seed.subject,
      body: seed.body,
      categoryId: categories.find((category) => category.slug === seed.category)?.id ?? null,
    };
    let ticketId: number;
    if (seed.escalatedFrom) {
      const thread = await pageOf({ thread: seed.escalatedFrom.thread });
      const escalated = await escalateThread(
        db,
        person(seed.escalatedFrom.by),
        thread.id,
        seed.escalatedFrom.note,
        at,
      );
      if (!escalated.ok) throw new Error(`demo escalation failed: ${escalated.error}`);
      ticketId = escalated.id;
    } else {
      const from = seed.from ? await pageOf(seed.from) : undefined;
      const source: TicketSource = seed.externalId
        ? 'api'
        : from
          ? from.type === 'article'
            ? 'article'
            : 'thread'
          : 'web';
      const created = await createTicket(db, requester.id, input, {
        source,
        link: from ? { ...from, relation: 'filed_from' } : undefined,
        externalId: seed.externalId ?? null,
        externalUrl: seed.externalId
          ? `https://northfield-it.example/helpdesk/tickets/${seed.externalId}`
          : null,
        now: at,
      });
      if (!created.ok) throw new Error(`demo ticket rejected: ${JSON.stringify(created)}`);
      ticketId = created.id;
    }
    if (seed.priority) await changePriority(db, ticketId, seed.priority, at);
    for (const page of seed.links ?? []) {
      await linkTicket(
        db,
        person('sam.rivera').id,
        ticketId,
        await pageOf(page),
        'related',
        later(),
      );
    }
    for (const [author, kind, body] of seed.messages ?? []) {
      const result = await addTicketMessage(db, person(author), ticketId, { kind, body }, later());
      if (!result.ok) throw new Error(`demo message rejected: ${result.error}`);
    }
    if (seed.assignee)
      await assignTicket(db, person('ada'), ticketId, person(seed.assignee).id, later());
    if (seed.resolved) {
      const { kind, by, target, note } = seed.resolved;
      const page = target ? await pageOf(target) : null;
      let postId: number | undefined;
      // A thread resolves a ticket through its best answer.
      if (page?.type === 'thread') {
        const answer = await db
          .selectFrom('posts')
          .select('id')
          .where('thread_id', '=', page.id)
          .orderBy('score', 'desc')
          .executeTakeFirst();
        postId = answer?.id;
      }
      const resolved = await resolveTicket(
        db,
        person(by),
        ticketId,
        {
          kind,
          note,
          articleId: page?.type === 'article' ? page.id : undefined,
          threadId: page?.type === 'thread' ? page.id : undefined,
          postId,
        },
        later(),
      );
      if (!resolved.ok) throw new Error(`demo resolution rejected: ${resolved.error}`);
      if (seed.draftArticle) await draftArticleFromTicket(db, person(by), ticketId, later());
    }
    if (seed.finalStatus && seed.finalStatus !== 'pending')
      await setTicketStatus(db, person('sam.rivera'), ticketId, seed.finalStatus, later());
  }

  for (const [username, query, results, daysAgo] of searches) {
    const user = person(username);
    await recordSearch(
      db,
      { userId: user.id, visitorKey: `u${user.id}`, staff: false, bot: false },
      { query, filters: {}, results, engine: 'meilisearch' },
      new Date(now.getTime() - daysAgo * day),
    );
  }
  return tickets.length;
}
