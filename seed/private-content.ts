/**
 * Demo content that not everyone sees: the "Beta programme" group with its private category and
 * threads, and internal (staff-only) articles for Ledgerly's support agents.
 *
 * Pure data, in the voice and product facts of `community-content.ts` and `kb-content.ts`.
 */

import type { SeedThread } from './community-content';
import type { SeedArticle } from './kb-content';

export const betaGroup = {
  name: 'Beta programme',
  description:
    'Customers who try new Ledgerly features before everyone else and tell us what works. Ask to join if you would like early access.',
  /** Usernames; managers answer requests to join. */
  members: [
    { username: 'aisha.b', manager: true },
    { username: 'jonas.berg', manager: false },
    { username: 'rob.tanaka', manager: false },
  ],
  /** Waiting for a manager's answer. */
  requests: [
    {
      username: 'marcus.chen',
      daysAgo: 2,
      message:
        'We forecast cash by hand every Monday for the two shops. Happy to test the cash flow forecast and report back.',
    },
  ],
};

export const betaCategory = {
  name: 'Beta programme',
  slug: 'beta-programme',
  description: 'Early features, known rough edges and feedback, for members of the beta programme.',
};

export const betaThreads: SeedThread[] = [
  {
    category: 'beta-programme',
    tags: ['beta', 'cash-flow-forecast', 'invoices'],
    stage: 'adoption',
    title: 'Cash flow forecast (beta): are overdue invoices counted, and on which date?',
    body: `Just switched on the new **Reports → Cash flow forecast** for the bakery. Really like it so far.

One thing I can't work out: we have about $1,900 in invoices that are already overdue. Are those in the forecast at all? And if so, on which day do they land, the original due date (which is in the past) or today?`,
    author: 'jonas.berg',
    daysAgo: 18,
    views: 64,
    upvoters: ['rob.tanaka'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 3,
        accepted: true,
        body: `Hi Jonas, they are counted, but not on their old due date. The forecast moves every overdue invoice to the **expected payment date** Ledgerly learns from that customer's history:

- A customer who usually pays 9 days late shows up 9 days after the due date, or **tomorrow** if that date has already passed.
- A customer with no payment history yet shows up **7 days from today**.

You can see which date was used by hovering over the bar for that day. If you know better, open the invoice and set **Expected payment date** under **⋯ → Edit expected date**; the forecast follows it.`,
        upvoters: ['jonas.berg', 'aisha.b'],
        comments: [
          {
            author: 'jonas.berg',
            hoursAfter: 5,
            body: 'That explains the bump tomorrow. Setting the dates by hand for our two slow wholesale customers.',
          },
        ],
      },
    ],
  },
  {
    category: 'beta-programme',
    tags: ['beta', 'cash-flow-forecast', 'bills'],
    stage: 'adoption',
    title: 'Forecast counts a recurring bill twice when its next draft already exists',
    body: `Feedback on the forecast beta from one of my clients' files.

They have a monthly rent bill set up as a **recurring bill**. This month's draft was created early (on the 1st, due on the 15th). The forecast now shows the rent going out **twice** on the 15th: once from the draft, once from the recurring schedule.

Easy to spot for rent, less so for smaller bills. Is this known?`,
    author: 'aisha.b',
    daysAgo: 11,
    views: 41,
    upvoters: ['jonas.berg', 'rob.tanaka'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 6,
        accepted: true,
        body: `Thanks Aisha, that's a real bug and you're the first to report it. The forecast adds the next occurrence of a recurring bill without checking whether a draft for that period already exists.

The fix is planned for the next beta update. Until then, either of these avoids the double count:

1. Approve or delete the early draft, **or**
2. Under **Purchases → Recurring bills**, change **Create draft** from *7 days before* to *on the due date* for that bill.

I'll post here when the fix is out.`,
        upvoters: ['aisha.b'],
        comments: [
          {
            author: 'sam.rivera',
            hoursAfter: 150,
            body: 'The fix is out: drafts now replace their scheduled occurrence in the forecast. Thanks again for the report.',
          },
        ],
      },
    ],
  },
  {
    category: 'beta-programme',
    tags: ['beta', 'settings'],
    stage: 'adoption',
    title: 'How do I turn a beta feature off again for just one of my organizations?',
    body: `I run the studio's books and my own freelance ones in two Ledgerly organizations. I switched on the receipt-by-email beta for both, but I'd rather keep my freelance file on the standard features for now.

Is there a per-organization switch, or is it all or nothing once you've joined?`,
    author: 'rob.tanaka',
    daysAgo: 7,
    views: 29,
    answers: [
      {
        author: 'aisha.b',
        hoursAfter: 2,
        accepted: true,
        body: `It's per organization. Open the file you want to change, then **Settings → Labs**. Every beta you've joined has its own switch there.

Turning one off keeps what it already created (receipts stay attached to their bills), it just stops anything new.`,
        upvoters: ['rob.tanaka', 'sam.rivera'],
      },
      {
        author: 'sam.rivera',
        hoursAfter: 4,
        body: `To add to Aisha's answer: only **Admins** of an organization see **Settings → Labs**. If the page is missing, ask the file's admin to switch it for you.`,
        upvoters: ['rob.tanaka'],
      },
    ],
  },
  {
    category: 'beta-programme',
    tags: ['beta', 'receipts', 'email'],
    stage: 'adoption',
    title: 'Receipts forwarded from my phone arrive in Ledgerly without the attachment',
    body: `Trying the receipt-by-email beta. Receipts I forward from my laptop work perfectly: a draft bill with the PDF attached.

The ones I forward from the Mail app on my phone arrive as a draft bill with the right supplier but **no attachment**. Same receipts, same forwarding address.`,
    author: 'jonas.berg',
    daysAgo: 4,
    views: 22,
    upvoters: ['aisha.b'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 5,
        accepted: true,
        body: `Thanks Jonas. The phone's Mail app sends the receipt **inline** (inside the message) rather than as an attachment, and the beta only picks up attachments so far.

Two ways round it for now:

1. In the Mail app, choose **Forward as attachment** instead of **Forward**.
2. Or share the PDF straight from the receipt: **Share → Mail** to your forwarding address.

Reading inline receipts is on the list for the next beta update.`,
        upvoters: ['jonas.berg', 'rob.tanaka'],
      },
    ],
  },
];

/** Staff-only articles: how the support team works, not for customers. */
export const internalArticles: SeedArticle[] = [
  {
    visibility: 'internal',
    title: 'Bank feed tickets: the checks to run before escalating',
    slug: 'internal-bank-feed-checks',
    category: 'bank-connections',
    tags: ['bank-feeds', 'troubleshooting'],
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 60,
    publishedDaysAgo: 58,
    views: 140,
    body: `Most bank feed tickets are solved by the customer once we point them at the right step. Run these checks, in order, before you escalate anything.

## 1. Read the feed's status first

Open the customer's organization in the admin console, then **Banking → Bank feeds**, and note the status and error code for the account:

- **BF-401 Reauthorization required**: the consent expired or covers no accounts. Send *Fix a bank feed that stopped updating (BF-401)* and ask them to check the account is **ticked** on the bank's consent screen.
- **BF-429 Bank rate limit**: the bank is throttling us. Nothing to do; it clears within 24 hours.
- **BF-500 Bank unavailable**: check the bank's own status page. If several customers of the same bank report it, tag the tickets \`bank-outage\` so they are answered together.

## 2. Look at the last successful sync

If the last sync was **less than 24 hours ago**, the feed is working: missing transactions are usually still *pending* at the bank and arrive when they settle.

## 3. Check who connected the feed

If the person who connected the feed has left the company, renewal emails go nowhere. Ask a current admin to reconnect; they become the new contact.

## 4. Duplicates after reconnecting

If the customer sees duplicates after reconnecting, check the **feed start date** they chose. Send the duplicate-transactions thread rather than deleting anything for them.

## When to escalate

Escalate (see *Escalation path*) only when the status is **Connected**, the last sync is **more than 24 hours** old, and reconnecting did not help. Include the account's feed id and the time of the last sync.`,
  },
  {
    visibility: 'internal',
    title: 'Escalation path: from first reply to tier 2 and engineering',
    slug: 'internal-escalation-path',
    category: '',
    tags: ['escalation', 'support-process'],
    author: 'ada',
    owner: 'ada',
    status: 'published',
    daysAgo: 90,
    publishedDaysAgo: 88,
    views: 210,
    body: `Who handles what, and when a ticket moves on. The goal is one owner per ticket at every moment: the customer should never have to repeat themselves.

## Tier 1: support agents

Every new ticket starts here. Aim for a first reply within **4 business hours**.

- Link the ticket to the thread or article that answers it, even when you write the reply yourself.
- If the answer is not in the help center yet, solve the ticket, then draft an article from it.

## Tier 2: senior agents

Hand a ticket to tier 2 (assign it to the **Tier 2** queue with an internal note) when:

- it involves **money that moved wrongly**: duplicate charges, payroll that was filed but not paid, refunds outside policy;
- the customer has had **three replies** from us without a fix;
- it comes from an organization with **more than 10 open tickets** about the same problem.

Your internal note says what you checked, what you ruled out and what the customer already tried.

## Engineering

Only tier 2 escalates to engineering, through the on-call form. Include the organization id, the steps to reproduce and the time it last happened. Link every other ticket with the same problem to the known issue, so everyone hears when it is fixed.

## Urgent: payroll and security

A failed payroll run on a pay day, or any sign that someone else has access to a customer's account, goes **straight to tier 2** by phone, whatever the hour.`,
  },
  {
    visibility: 'internal',
    title: 'Subscription refunds outside the policy: what agents may approve',
    slug: 'internal-refund-exceptions',
    category: 'account-billing',
    tags: ['billing', 'policy'],
    author: 'ada',
    owner: 'mira',
    status: 'published',
    daysAgo: 45,
    publishedDaysAgo: 44,
    views: 95,
    body: `The public policy: Ledgerly subscriptions are not refunded once a billing period has started, except within **14 days** of a first paid charge. This page says when you may make an exception and how to record it.

## You may approve, without asking

- A charge for a period the customer **could not use** because of an outage on our side longer than 24 hours: refund the prorated days.
- A **double charge** after a failed billing retry: give back the extra one in full.
- An upgrade charged **by mistake** (for example, a staff member clicked the wrong plan) and reverted within **7 days**: refund the prorated difference.

## Ask tier 2 first

- Anything over **$300**, or more than **one exception** for the same organization in 12 months.
- An annual plan cancelled more than 14 days in: we may refund the unused whole months as an exception, never the current one.

## How to record it

1. Refund from **Billing console → Charges → Refund**, with reason *Policy exception*.
2. Add an internal note on the ticket: the rule above you applied, and the amount.
3. Tell the customer the amount and that it takes **5–10 business days** to arrive.

Never promise a refund before it is done, and never refund the payroll add-on for a month in which a pay run was filed.`,
  },
];
