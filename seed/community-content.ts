/**
 * Demo community content for the "Ledgerly" help center: extra community members and
 * the questions, answers, comments and votes that make the demo community feel lived in.
 *
 * Pure data. The seeding code decides how to turn `daysAgo` / `hoursAfter` into timestamps.
 * Usernames refer either to the accounts in `demo.ts` or to `demoCommunityMembers` below.
 */

import type { JourneyStage } from '#db/schema';

export type SeedComment = { author: string; body: string; hoursAfter: number };

export type SeedAnswer = {
  author: string;
  body: string; // Markdown
  hoursAfter: number; // after the question was asked
  accepted?: boolean; // at most one accepted answer per thread
  upvoters?: string[]; // usernames; never the answer's own author; no duplicates
  downvoters?: string[]; // same rules, disjoint from upvoters
  comments?: SeedComment[];
};

export type SeedThread = {
  category: string; // one of the category slugs
  tags: string[]; // 1 to 5 lowercase tags, words joined by '-'
  stage?: JourneyStage;
  title: string; // 15 to 150 characters
  body: string; // Markdown, 2 to 12 lines
  author: string;
  daysAgo: number; // when it was asked, 0 to 120
  views: number;
  upvoters?: string[];
  downvoters?: string[]; // votes on the question; never its author
  comments?: SeedComment[]; // comments on the question
  answers: SeedAnswer[];
  selfResolvedBy?: string[]; // readers (not the author) who pressed "This solved my problem"
};

export type SeedMember = { username: string; displayName: string; email: string };

export const demoCommunityMembers: SeedMember[] = [
  {
    username: 'marcus.chen',
    displayName: 'Marcus Chen',
    email: 'marcus@mossgreen-florists.example',
  },
  { username: 'aisha.b', displayName: 'Aisha Bello, CPA', email: 'aisha@bello-cpa.example' },
  { username: 'rob.tanaka', displayName: 'Rob Tanaka', email: 'rob@kettleandkiln.example' },
  { username: 'grace.m', displayName: 'Grace Murphy', email: 'grace@northfieldclinic.example' },
  { username: 'felix.w', displayName: 'Felix Wagner', email: 'felix@harborpine.example' },
  { username: 'nadia_r', displayName: 'Nadia Rahman', email: 'nadia@brightsidebakery.example' },
  {
    username: 'carlos.mendez',
    displayName: 'Carlos Mendez',
    email: 'carlos@mendez-plumbing.example',
  },
  { username: 'hannah.lee', displayName: 'Hannah Lee', email: 'hannah@stillwater-yoga.example' },
  { username: 'ben.okoro', displayName: 'Ben Okoro', email: 'ben@tallybird.example' },
  { username: 'sofia.g', displayName: 'Sofia Greco', email: 'sofia@greco-bookkeeping.example' },
  { username: 'ian.mcd', displayName: 'Ian McDonald', email: 'ian@cornercup-cafe.example' },
];

export const demoThreads: SeedThread[] = [
  // ---------------------------------------------------------------- getting-started
  {
    category: 'getting-started',
    tags: ['import', 'csv', 'invoices', 'migration'],
    stage: 'evaluating',
    title:
      'Can I import my customer list and open invoices from a spreadsheet when switching to Ledgerly?',
    body: `I run a small yoga studio and I'm on day 4 of the trial. Right now everything lives in a Google Sheet: about 140 clients and roughly 25 unpaid invoices for class packs.

Before I commit to a paid plan I'd like to know:
- Can I bring the clients in with their emails and phone numbers?
- Can the **unpaid** invoices come across so I can keep chasing them from Ledgerly, or do I have to retype them?

I'd rather not start my first week with 25 manual invoices if I can avoid it.`,
    author: 'hannah.lee',
    daysAgo: 96,
    views: 1840,
    upvoters: ['marcus.chen', 'nadia_r', 'carlos.mendez'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 3,
        accepted: true,
        body: `Hi Hannah, yes to both, and you can do it during the trial, so nothing is lost when you upgrade.

**Customers**
1. Go to **Sales → Customers → Import**.
2. Download the template, or upload your own CSV and map the columns. Only \`Name\` is required; \`Email\`, \`Phone\`, \`Billing address\` and \`Payment terms\` are optional.
3. Ledgerly skips rows whose email already exists, so it's safe to run it again.

**Open invoices**
1. Go to **Sales → Invoices → Import (CSV)**.
2. Each row is one line item. Rows that share an \`InvoiceNumber\` are grouped into one invoice.
3. Required columns: \`InvoiceNumber\`, \`Customer\`, \`InvoiceDate\`, \`DueDate\`, \`Description\`, \`Quantity\`, \`UnitAmount\`, \`AccountCode\`.

\`\`\`csv
InvoiceNumber,Customer,InvoiceDate,DueDate,Description,Quantity,UnitAmount,AccountCode
SY-1041,Maya Torres,2024-03-02,2024-03-16,10-class pack,1,150.00,4000
SY-1042,Jordan Wells,2024-03-04,2024-03-18,Monthly unlimited,1,120.00,4000
\`\`\`

Imported invoices arrive as **Draft** so you can check them first. When you're happy, use **Approve** rather than **Approve & email**, unless you actually want every client to get a fresh copy.`,
        upvoters: ['hannah.lee', 'marcus.chen', 'sofia.g', 'jonas.berg', 'priya.h'],
        comments: [
          {
            author: 'hannah.lee',
            hoursAfter: 5,
            body: 'Perfect, the import worked first time. One thing that tripped me up: my sheet had dates like 03/02/2024 and it read them as 2 March. There is a date format dropdown on the mapping screen that fixed it.',
          },
          {
            author: 'sam.rivera',
            hoursAfter: 6,
            body: "Good catch, thanks for adding that. The dropdown defaults to your organization's locale, which is why it guessed day-first.",
          },
        ],
      },
      {
        author: 'sofia.g',
        hoursAfter: 20,
        body: `A tip from doing a lot of these migrations: import the open invoices with their **original** invoice dates, then run **Reports → Aged receivables** and compare the total with your spreadsheet *before* you approve anything.

If the totals match to the cent, you're done. If they don't, it's nearly always a description with a comma in it that split into two columns. Wrap those cells in double quotes and re-import.`,
        upvoters: ['hannah.lee', 'lena.k', 'dev.olu'],
      },
    ],
  },
  {
    category: 'getting-started',
    tags: ['opening-balances', 'conversion-date', 'migration'],
    stage: 'onboarding',
    title:
      'What conversion date should I use if we switch to Ledgerly in the middle of our financial year?',
    body: `We've been on spreadsheets plus an old desktop accounting program for six years. Our financial year runs January to December and we're well into it.

Setup is asking for a **conversion date**. The options as I see them:
1. Start from 1 January and re-enter everything since then
2. Start from the 1st of next month and just enter opening balances

Option 2 is obviously less work. Is there a catch? Our accountant does the year-end accounts in March.`,
    author: 'jonas.berg',
    daysAgo: 110,
    views: 2420,
    upvoters: ['lena.k', 'priya.h', 'sofia.g', 'hannah.lee', 'tom_walsh'],
    answers: [
      {
        author: 'aisha.b',
        hoursAfter: 5,
        accepted: true,
        body: `I'm an accountant and I get asked this constantly. Short version: **option 2 is fine, as long as you start on the first day of a sales tax period and you have a trial balance for the day before.**

What you need from the old system, as at the day before your conversion date:
- A **trial balance** (every account with its debit or credit balance)
- A list of **unpaid customer invoices** (aged receivables)
- A list of **unpaid supplier bills** (aged payables)
- **Bank statement balances** for every account, plus any uncleared items

Then in Ledgerly:
1. **Settings → Conversion balances**, set the date.
2. Enter the trial balance figures, but leave \`Accounts Receivable\` and \`Accounts Payable\` empty for now.
3. Enter or import the unpaid invoices and bills individually, with their original dates. Ledgerly builds AR/AP up from those, and the conversion balances screen should then show **0.00 difference**.
4. Reconcile the first bank statement after the conversion date, ticking off the uncleared checks and deposits from before it.

The catch: your year will be split across two systems. Your accountant will need the old system's P&L up to the conversion date plus Ledgerly's for the rest. Most of us are used to that, but **ask them first**. Some prefer you to convert at year-end and run both systems in parallel for a month.`,
        upvoters: [
          'jonas.berg',
          'lena.k',
          'sofia.g',
          'dev.olu',
          'marcus.chen',
          'ian.mcd',
          'sam.rivera',
        ],
        comments: [
          {
            author: 'jonas.berg',
            hoursAfter: 8,
            body: 'This is really clear, thank you. Our accountant is fine with mid-year as long as she gets both P&Ls. Going with 1 October so it lines up with the start of a sales tax quarter.',
          },
          {
            author: 'lena.k',
            hoursAfter: 30,
            body: "@jonas.berg I've exported the trial balance as at 30 September from the old program. It's in the shared drive under *Ledgerly setup*.",
          },
        ],
      },
      {
        author: 'dev.olu',
        hoursAfter: 26,
        body: `Agree with Aisha. One extra thing: if you're going to use **Ledgerly Payroll** as well, convert on the first day of a calendar quarter. Payroll year-to-date figures are much easier to enter per quarter than halfway through one (see [Entering prior payroll](https://example.com/docs/payroll/prior-payroll)).`,
        upvoters: ['jonas.berg', 'tom_walsh', 'aisha.b'],
      },
    ],
    selfResolvedBy: ['marcus.chen', 'carlos.mendez', 'hannah.lee'],
  },
  {
    category: 'getting-started',
    tags: ['users', 'permissions', 'payroll'],
    stage: 'onboarding',
    title: 'How do I invite our external bookkeeper without giving her access to payroll?',
    body: `We use an outside bookkeeper two days a month. She needs to reconcile the bank accounts and enter supplier bills, but I don't want her seeing salaries. There are only 9 of us, so everyone's pay would be obvious.

When I go to **Settings → Users → Invite**, the only roles are *Admin*, *Standard* and *Read only*. Does *Standard* include payroll?`,
    author: 'priya.h',
    daysAgo: 88,
    views: 960,
    upvoters: ['tom_walsh', 'aisha.b'],
    answers: [
      {
        author: 'mira',
        hoursAfter: 4,
        accepted: true,
        body: `Hi Priya. *Standard* does **not** include payroll by default, but it's worth double-checking because the toggles are easy to miss.

When you invite someone as *Standard*, click **Customize access** under the role dropdown. You'll see:

| Area | Standard default |
| --- | --- |
| Sales & invoices | Edit |
| Purchases & bills | Edit |
| Banking & reconciliation | Edit |
| Reports | View (excluding payroll reports) |
| Payroll | **No access** |
| Settings | No access |

Leave **Payroll** on *No access*. That also hides payroll detail in reports: she'll still see a single **Wages & salaries** total on the Profit & Loss (she needs it to reconcile the bank), but not the per-employee breakdown.

One thing to watch: if she's ever made an **Admin**, payroll access comes with it, and it can't be switched off for Admins.`,
        upvoters: ['priya.h', 'tom_walsh', 'sofia.g', 'felix.w'],
        comments: [
          {
            author: 'priya.h',
            hoursAfter: 7,
            body: 'That worked, thanks. Invite sent with payroll off.',
          },
          {
            author: 'aisha.b',
            hoursAfter: 30,
            body: "Seconding this. I work with about a dozen Ledgerly clients and it's exactly the setup I ask for. Keeps everyone comfortable.",
          },
        ],
      },
    ],
  },
  {
    category: 'getting-started',
    tags: ['chart-of-accounts', 'setup'],
    stage: 'onboarding',
    title:
      'I picked the wrong chart of accounts template during setup. Can I switch to the retail one?',
    body: `When I signed up I chose **Professional services** as the industry template without really thinking about it. We're a florist, so we actually need cost of goods sold, inventory and so on.

I've entered about two weeks of transactions already. Is there a reset button, or do I need to start a new organization?`,
    author: 'marcus.chen',
    daysAgo: 61,
    views: 410,
    upvoters: ['sofia.g'],
    answers: [
      {
        author: 'dev.olu',
        hoursAfter: 9,
        body: `There's no way to swap templates once transactions exist, but you usually don't need to start over. The templates only differ by 10–15 accounts.

What I do for clients:
1. **Accounting → Chart of accounts → Import**, and upload the retail accounts you're missing (\`Cost of Goods Sold\`, \`Inventory\`, \`Freight In\`, \`Merchant Fees\`).
2. Archive the services-only accounts you won't use, like \`Billable Expenses\` or \`Subcontractors\`. Archived accounts keep their history.
3. For the two weeks you've already entered, use **Find & recode** to move anything that's in the wrong account.

Starting a new organization also means reconnecting bank feeds and re-inviting users, so I'd only do it if you've barely started.`,
        upvoters: ['marcus.chen', 'sofia.g', 'rob.tanaka', 'aisha.b'],
      },
      {
        author: 'rob.tanaka',
        hoursAfter: 14,
        body: `If it's only two weeks and you haven't set up payroll, honestly I'd just start a new org. I took Olu's route with my first business and spent longer tidying up than it would have taken to re-enter 60 transactions. Support can line your trial end date up with the original one if you ask them.`,
        upvoters: ['nadia_r'],
        downvoters: ['sofia.g'],
      },
    ],
  },
  {
    category: 'getting-started',
    tags: ['mobile', 'offline'],
    stage: 'evaluating',
    title: 'Does Ledgerly work on an iPad with a patchy connection at our farmers market stall?',
    body: `We sell at the Saturday farmers market and the signal there is terrible. I'd like to record card and cash sales on an iPad as they happen and have them sync when we're back at the bakery.

Is there an offline mode in the iOS app, or does everything need a live connection? If not, what do other market sellers do?`,
    author: 'nadia_r',
    daysAgo: 2,
    views: 38,
    upvoters: ['jonas.berg', 'marcus.chen'],
    answers: [],
  },
  {
    category: 'getting-started',
    tags: ['tips', 'setup', 'bank-rules'],
    stage: 'first_success',
    title: 'What did you set up in your first week that saved you the most time later?',
    body: `Three weeks in with Ledgerly for my plumbing business (me, two techs, a van each). I've sent my first 30 invoices and the bank feed is connected, which already beats the shoebox.

For people who've been using it a while: what did you set up early that paid off? Or what do you wish you had set up sooner?`,
    author: 'carlos.mendez',
    daysAgo: 45,
    views: 1630,
    upvoters: ['sofia.g', 'lena.k', 'hannah.lee', 'mira', 'ian.mcd', 'nadia_r'],
    answers: [
      {
        author: 'sofia.g',
        hoursAfter: 3,
        body: `I set up 30-odd clients a year, so here's my list in order of payoff:

1. **Bank rules** for anything that repeats: fuel cards, phone bill, software subscriptions, van insurance. Ten rules usually cover 60–70% of a trade business's transactions.
2. **Invoice reminders**: **Settings → Invoice reminders**, on 3 days before the due date, on the due date, and 7 days after. Time to payment drops noticeably.
3. **Products & services** for your standard call-out fee and hourly rate, so an invoice takes seconds.
4. **The receipts inbox**: every organization gets its own address (something like \`receipts.mendezplumbing@in.ledgerly.example\`). Have your techs forward supplier receipts from their phones on the spot.
5. **A lock date** once each month is reconciled, so nothing changes underneath you.`,
        upvoters: [
          'carlos.mendez',
          'jonas.berg',
          'lena.k',
          'marcus.chen',
          'hannah.lee',
          'priya.h',
          'mira',
          'rob.tanaka',
        ],
      },
      {
        author: 'lena.k',
        hoursAfter: 11,
        body: `Tracking categories. We added one called \`Channel\` (Shop, Wholesale, Market) in month one, and now I can pull a Profit & Loss per channel in two clicks. Adding it later would have meant recoding months of history.`,
        upvoters: ['carlos.mendez', 'jonas.berg', 'felix.w', 'aisha.b'],
      },
      {
        author: 'rob.tanaka',
        hoursAfter: 19,
        body: `Put your card processor's money through a **clearing account** from day one instead of letting deposits go straight to Sales. I didn't, and untangling the fees later was miserable.`,
        upvoters: ['aisha.b', 'carlos.mendez'],
      },
      {
        author: 'priya.h',
        hoursAfter: 50,
        body: `Honestly, just putting our logo, bank details and payment terms on the invoice template. Clients took the invoices more seriously and paid faster once they looked like they came from a real firm.`,
        upvoters: ['felix.w'],
      },
    ],
  },

  // ---------------------------------------------------------------- invoices-payments
  {
    category: 'invoices-payments',
    tags: ['refunds', 'card-payments', 'ledgerly-payments'],
    stage: 'adoption',
    title: 'A customer paid the same invoice twice by card. How do I refund the duplicate?',
    body: `A wholesale customer paid invoice **INV-2291** ($486.00) twice through the online payment link, about four minutes apart. Both show as *Succeeded* in **Payments → Activity**.

The invoice now says *Paid* with a balance of **-$486.00**. I want to refund one payment back to their card, not keep it as a credit. Where do I do that without messing up the invoice?`,
    author: 'jonas.berg',
    daysAgo: 73,
    views: 2870,
    upvoters: ['lena.k', 'carlos.mendez', 'priya.h'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 2,
        accepted: true,
        body: `Hi Jonas, this happens more than you'd think (usually a double tap on a slow connection). Here's the clean way:

1. Open **INV-2291** and go to the **Payments** tab.
2. You'll see both card payments. On the second one, click **⋯ → Refund**.
3. Choose **Full refund** and the reason *Duplicate*. Leave **Keep as customer credit** unticked.
4. Confirm.

What happens next:
- The money goes back to the customer's card in 5–10 business days, depending on their bank.
- The invoice balance returns to $0.00 and stays *Paid*.
- Ledgerly posts the refund from your **Ledgerly Payments clearing** account, so it's deducted from your next payout rather than taken from your bank.

When the reason is *Duplicate*, the processing fee on the second payment is returned too.

To stop it happening again, turn on **Settings → Payments → Block repeat payments on paid invoices**. Once an invoice is fully paid, the payment link shows a "This invoice has been paid" page instead of the card form.`,
        upvoters: ['jonas.berg', 'lena.k', 'rob.tanaka', 'carlos.mendez', 'marcus.chen', 'grace.m'],
        comments: [
          {
            author: 'jonas.berg',
            hoursAfter: 4,
            body: "Done, and I've switched on the block setting. Didn't know it existed. Thanks Sam.",
          },
          {
            author: 'lena.k',
            hoursAfter: 120,
            body: 'Confirming that the next payout was $486 lower and the fee came back as a separate line. Reconciled without any fuss.',
          },
        ],
      },
    ],
    selfResolvedBy: ['carlos.mendez', 'marcus.chen', 'grace.m'],
  },
  {
    category: 'invoices-payments',
    tags: ['email', 'invoices', 'dns'],
    stage: 'adoption',
    title: "Our invoice emails keep landing in clients' spam folders",
    body: `At least three clients have told us they found our invoices in junk, including one that's now 40 days overdue because of it.

The emails come from \`Harbor & Pine Architects <messages@ledgerly.example>\` with our own address as reply-to. Is there anything we can do on our side? We use Google Workspace for our email.`,
    author: 'priya.h',
    daysAgo: 54,
    views: 1210,
    upvoters: ['felix.w', 'tom_walsh', 'grace.m', 'marcus.chen'],
    comments: [
      {
        author: 'sam.rivera',
        hoursAfter: 3,
        body: 'Quick check, Priya: are the clients who reported it on Outlook/Microsoft 365, Gmail, or a mix? It helps tell an authentication problem from a content one.',
      },
      { author: 'priya.h', hoursAfter: 5, body: 'Two on Microsoft 365, one on Gmail.' },
    ],
    answers: [
      {
        author: 'dev.olu',
        hoursAfter: 6,
        accepted: true,
        body: `Send from your own domain. Invoices sent "on behalf of" a shared address get flagged far more often, especially by Microsoft 365.

1. **Settings → Email settings → Sending domain → Add domain**, and enter \`harborpine.example\`.
2. Ledgerly shows you the DNS records to add wherever your DNS is hosted:

\`\`\`text
Type   Host                  Value
TXT    ledgerly._domainkey   v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCB...
CNAME  bounce                bounce.ledgerly.example
TXT    @                     v=spf1 include:_spf.google.com include:spf.ledgerly.example ~all
\`\`\`

3. Careful with SPF: a domain can only have **one** SPF record. You already have one for Google Workspace, so add \`include:spf.ledgerly.example\` to it. Don't create a second \`v=spf1\` record, because two of them break both.
4. Back in Ledgerly, click **Verify**. DNS changes can take up to an hour to show up.

After that, invoices go out from something like \`accounts@harborpine.example\`, signed with your own DKIM key.`,
        upvoters: ['priya.h', 'felix.w', 'ben.okoro', 'sofia.g', 'mira'],
        comments: [
          {
            author: 'priya.h',
            hoursAfter: 30,
            body: 'Verified this morning. Felix tested with his personal Outlook and it landed in the inbox. Thank you!',
          },
          {
            author: 'ada',
            hoursAfter: 32,
            body: 'Nice write-up, @dev.olu. We are adding a DMARC check to the verify screen as well, since a strict `p=reject` policy without DKIM alignment is the other common cause.',
          },
        ],
      },
    ],
  },
  {
    category: 'invoices-payments',
    tags: ['card-payments', 'surcharges', 'invoices'],
    stage: 'adoption',
    title: 'How do I add a 3% surcharge only when a customer chooses to pay by card?',
    body: `Card fees take about 2.9% + 30¢ of every job, and most of my customers pay by card because it's easier for them.

I'd like bank transfer (ACH) to stay free and add 3% only when they pick card on the payment page. Is that possible, or do I have to put the fee on the invoice up front?`,
    author: 'carlos.mendez',
    daysAgo: 39,
    views: 1980,
    upvoters: ['rob.tanaka', 'marcus.chen', 'jonas.berg', 'hannah.lee'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 5,
        accepted: true,
        body: `Yes, Ledgerly Payments supports this:

1. **Settings → Payments → Card surcharge**, switch it on.
2. Set the percentage. The most Ledgerly allows is **3%**.
3. Choose the account the surcharge posts to. Most people create \`Card Surcharge Income\` under *Other income*, so it's easy to compare with their \`Merchant Fees\` expense.

On the payment page the customer sees the invoice total. When they choose **Card**, an extra line appears, e.g. *Card surcharge (3%): $14.58*. Bank transfer shows no surcharge.

A few important points:
- Card network rules require the surcharge to be disclosed *before* payment. Ledgerly adds the disclosure to the invoice email automatically, so don't remove it from your template.
- **Surcharges aren't allowed on debit cards**, so Ledgerly leaves them off when it detects a debit card.
- Some US states restrict surcharging. Check your state's rules before you switch it on. There's a summary at [Card surcharging rules](https://example.com/docs/payments/surcharging), but it isn't legal advice.`,
        upvoters: ['carlos.mendez', 'rob.tanaka', 'jonas.berg', 'aisha.b', 'hannah.lee'],
      },
      {
        author: 'rob.tanaka',
        hoursAfter: 12,
        body: `Run the numbers before you switch it on. In my shop about 15% of card customers moved to bank transfer once the surcharge appeared, which was great, but a couple of regulars complained.

I now offer **2% off for paying by bank transfer** instead. Same effect, and customers take it better. If you go that way, set it up as an early-payment discount under **Payment terms** rather than editing invoice totals by hand, or your sales figures get messy.`,
        upvoters: ['carlos.mendez', 'sofia.g', 'priya.h'],
      },
      {
        author: 'ian.mcd',
        hoursAfter: 30,
        body: `I just add a "Card fee" line to every invoice and delete it if they pay by transfer instead.`,
        downvoters: ['sofia.g', 'aisha.b', 'dev.olu'],
      },
    ],
    selfResolvedBy: ['marcus.chen', 'hannah.lee'],
  },
  {
    category: 'invoices-payments',
    tags: ['recurring-invoices', 'invoices'],
    stage: 'adoption',
    title: 'Recurring invoice didn\'t go out on the 1st and the schedule says "Skipped"',
    body: `We bill an occupational health contract monthly with a recurring invoice. Last month's went out fine, but nothing was sent this month. Under **Sales → Recurring** the row shows:

> Skipped · Previous invoice in series not approved

I don't remember leaving anything unapproved. What does it mean, and how do I send this month's without creating a duplicate?`,
    author: 'tom_walsh',
    daysAgo: 27,
    views: 640,
    upvoters: ['grace.m', 'sofia.g'],
    answers: [
      {
        author: 'mira',
        hoursAfter: 3,
        accepted: true,
        body: `Hi Tom, that's a safety check. If the previous invoice from a schedule is still in **Draft** or **Awaiting approval** when the next one is due, Ledgerly skips rather than piling up more unapproved drafts.

To fix it:
1. Open the schedule and click **View invoices in series**.
2. You'll probably find last month's invoice there as *Awaiting approval*. That happens when someone edits it and clicks **Save** instead of **Save & approve**, which moves it back a step.
3. If it really was sent to the client, just approve it (don't email it again). If it was never sent, approve and email it.
4. Back on the schedule, click **⋯ → Generate skipped invoice**. That creates this month's invoice with the right date and doesn't affect next month.

If you'd rather the schedule never waits for approval, edit it and choose **Approve and send automatically**.`,
        upvoters: ['tom_walsh', 'grace.m', 'lena.k'],
        comments: [
          {
            author: 'tom_walsh',
            hoursAfter: 6,
            body: 'That was it. Grace had fixed a typo in the PO number on last month’s invoice and hit Save. Both sorted now.',
          },
          { author: 'grace.m', hoursAfter: 7, body: 'Guilty 🙈 Save & approve from now on.' },
        ],
      },
    ],
  },
  {
    category: 'invoices-payments',
    tags: ['multi-currency', 'invoices', 'vat'],
    stage: 'adoption',
    title: 'Can I invoice a customer in EUR when my base currency is GBP?',
    body: `We've picked up a wholesale coffee customer in Dublin who wants invoices in euros. Our Ledgerly organisation is in GBP.

- Can I raise a EUR invoice on the Starter plan?
- When they pay in euros into our sterling account, how does the exchange difference get recorded?`,
    author: 'ian.mcd',
    daysAgo: 34,
    views: 520,
    upvoters: ['rob.tanaka'],
    answers: [
      {
        author: 'aisha.b',
        hoursAfter: 8,
        body: `Multi-currency is on **Growth** and **Pro** only, so on Starter the currency dropdown is greyed out.

Once you're on Growth:
1. **Settings → Currencies → Add currency → EUR**.
2. Set the customer's default currency to EUR on their contact record.
3. Raise the invoice as normal. The customer only ever sees euros; Ledgerly converts it at that day's rate for your reports.

When the payment lands in your GBP account, record it against the invoice with the **actual sterling amount received**. Ledgerly works out the difference between the invoice-date rate and what you really got, and posts it to **Realised currency gains/losses** automatically.

If EUR work becomes regular, a euro account (Wise, Revolut Business and so on) connected as a EUR bank feed saves conversion fees and makes reconciliation much tidier.`,
        upvoters: ['ian.mcd', 'sofia.g', 'rob.tanaka'],
      },
      {
        author: 'sofia.g',
        hoursAfter: 20,
        body: `On the VAT side: goods you send from Great Britain to a customer in Ireland are normally zero-rated exports, but only if you keep evidence that they left the UK. Make sure **Settings → Tax rates** has \`Zero rated - exports\` and use it on those invoices, and check with your accountant what evidence you need to keep.`,
        upvoters: ['ian.mcd', 'aisha.b'],
      },
    ],
  },
  {
    category: 'invoices-payments',
    tags: ['deposits', 'invoices', 'projects'],
    stage: 'adoption',
    title:
      'How do you handle a 30% deposit invoice and then the final invoice for the same project?',
    body: `For new commissions we take a 30% deposit when the client signs, then invoice the balance in stages.

At the moment I raise the deposit invoice to *Fee income*, and on the final invoice I add a negative line "Less deposit paid". Our accountant says this overstates revenue in the month the deposit comes in. What's the right way to do it in Ledgerly?`,
    author: 'priya.h',
    daysAgo: 66,
    views: 1340,
    upvoters: ['felix.w', 'aisha.b', 'hannah.lee'],
    answers: [
      {
        author: 'aisha.b',
        hoursAfter: 4,
        accepted: true,
        body: `Your accountant is right. A deposit isn't revenue until you've done the work. The cleaner setup:

1. **Create a liability account**: Accounting → Chart of accounts → Add, type *Current liability*, name it \`Customer Deposits\` (code 2150 or similar).
2. **Deposit invoice**: raise it as usual, but code the line to \`2150 Customer Deposits\`, not income. When it's paid, the cash is held as a liability.
3. **Stage and final invoices**: bill the full stage value to fee income, then add a line \`Less deposit received\` coded to \`2150\` with a **negative** amount.

Over the life of the project the deposit account goes up and back down to zero, and revenue lands in the months you actually invoice the work.

Tip: set the project in a tracking category on both invoices. Then **Reports → Account transactions → 2150**, filtered by project, shows any deposits that haven't been used yet.

If you're registered for sales tax, ask your accountant when the tax is due on deposits. In many states it's when the deposit is received, not when the final invoice goes out.`,
        upvoters: ['priya.h', 'felix.w', 'sofia.g', 'dev.olu', 'tom_walsh', 'mira'],
        comments: [
          {
            author: 'felix.w',
            hoursAfter: 10,
            body: 'Priya, I can recode the four deposits from this year to 2150 if you want. None of them have been applied yet.',
          },
          { author: 'priya.h', hoursAfter: 12, body: '@felix.w yes please, thank you!' },
        ],
      },
      {
        author: 'dev.olu',
        hoursAfter: 28,
        body: `If you're on Pro there's also **Projects → Billing → Deposits**. It does the liability posting for you and offers to apply the deposit on the next invoice for that project. Same accounting as Aisha's method, fewer steps.`,
        upvoters: ['aisha.b', 'priya.h'],
      },
    ],
  },
  {
    category: 'invoices-payments',
    tags: ['invoices', 'partial-payments'],
    title: 'Invoice with a partial payment shows "Overdue" instead of "Partially paid"',
    body: `A patient's employer paid $150 of a $400 occupational health invoice. In **Sales → Invoices** it now has a red *Overdue* badge with $250.00 due.

Is there a *Partially paid* status I'm missing? Our practice manager filters by Overdue to decide who gets a reminder call, and I don't want this one chased when they've told us the rest is coming on the 15th.`,
    author: 'grace.m',
    daysAgo: 1,
    views: 22,
    upvoters: ['tom_walsh'],
    answers: [],
  },

  // ---------------------------------------------------------------- bank-connections
  {
    category: 'bank-connections',
    tags: ['bank-feeds', 'errors', 'reconnect'],
    stage: 'adoption',
    title: 'Bank feed stopped updating: "Reauthorization required (BF-401)"',
    body: `Our business checking feed hasn't pulled anything new for six days. On **Banking → Bank feeds** there's a yellow banner:

> Reauthorization required (BF-401). Your bank connection needs to be renewed.

I clicked **Reconnect**, logged in to the bank, approved it, and it went straight back to the same banner. I tried twice in Chrome and once in Safari. Anyone else seeing this?`,
    author: 'lena.k',
    daysAgo: 80,
    views: 3790,
    upvoters: ['jonas.berg', 'tom_walsh', 'marcus.chen', 'priya.h', 'ian.mcd'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 2,
        accepted: true,
        body: `Hi Lena. BF-401 means the bank rejected the consent we hold for your account. Banks make these connections expire regularly (usually every 90 days; the bank decides, not us), and the reconnect flow sometimes doesn't finish if the bank adds an extra step.

Try it in this order:
1. In a **private/incognito window**, log in to Ledgerly and go to **Banking → Bank feeds**.
2. On the affected feed, click **⋯ → Manage connection → Disconnect**. This only removes the connection; your transactions and reconciliations stay.
3. Click **Connect bank**, search for your bank and log in again.
4. On the bank's consent screen, make sure your business checking account is **ticked**. Some banks untick everything by default on renewal, and then we receive a valid consent that covers no accounts, which gives you BF-401 again.
5. Back in Ledgerly, choose **Link to existing account** (not *Create new account*) and pick your existing checking account.

Ledgerly then backfills the missing days automatically, usually within 30 minutes.`,
        upvoters: [
          'lena.k',
          'jonas.berg',
          'tom_walsh',
          'marcus.chen',
          'priya.h',
          'carlos.mendez',
          'sofia.g',
          'nadia_r',
        ],
        comments: [
          {
            author: 'lena.k',
            hoursAfter: 3,
            body: 'Step 4 was it. The business account was unticked and I had been clicking straight through. The backfill arrived about 20 minutes later. Thanks!',
          },
          {
            author: 'tom_walsh',
            hoursAfter: 300,
            body: 'Same thing happened to us today with a different bank. Incognito window plus linking to the existing account fixed it.',
          },
        ],
      },
      {
        author: 'dev.olu',
        hoursAfter: 5,
        body: `Adding to Sam's answer: **Link to existing account** really matters. If you pick *Create new account* by accident, you end up with a second bank account in Ledgerly holding the same transactions, and then you're cleaning up duplicates. If that happens, archive the new account straight away, before you reconcile anything in it.`,
        upvoters: ['lena.k', 'sam.rivera', 'rob.tanaka', 'aisha.b'],
      },
    ],
    selfResolvedBy: ['tom_walsh', 'marcus.chen', 'carlos.mendez', 'ian.mcd', 'felix.w'],
  },
  {
    category: 'bank-connections',
    tags: ['bank-feeds', 'duplicates', 'reconciliation'],
    stage: 'adoption',
    title: 'Duplicate transactions after reconnecting the bank feed. Is there a bulk fix?',
    body: `After I reconnected our savings account last week, about three weeks of transactions show up twice in **Banking → Reconcile**. Some of them I had already reconciled before the reconnect.

Is there a bulk way to get rid of the duplicates? Removing them one by one would be about 70 clicks.`,
    author: 'jonas.berg',
    daysAgo: 57,
    views: 1520,
    upvoters: ['lena.k', 'rob.tanaka'],
    answers: [
      {
        author: 'dev.olu',
        hoursAfter: 7,
        accepted: true,
        body: `Yes, there's a tool for exactly this:

1. **Banking → (your savings account) → ⋯ → Find duplicate statement lines**.
2. Set the date range to cover the overlap, with a couple of days either side.
3. Ledgerly lists pairs that match on date, amount and description. It always suggests removing the **unreconciled** copy, so your reconciled lines are safe.
4. Tick **Select all suggested** and click **Remove duplicates**.

Removed lines aren't deleted for good. They stay under **Statement lines → Removed** for 30 days in case you need to restore one.

To avoid it next time: when you reconnect, Ledgerly asks for a **feed start date**. Set it to the day after your last imported transaction instead of leaving the default of 90 days back.`,
        upvoters: ['jonas.berg', 'lena.k', 'sam.rivera', 'tom_walsh'],
      },
      {
        author: 'rob.tanaka',
        hoursAfter: 10,
        body: `One gotcha: the tool won't pair lines if the bank changed the description between the two imports. Mine went from \`CARD 4471 AMAZON MKTPLACE\` to \`AMAZON MKTPLACE PMTS\`. Those I removed by hand under **Statement lines**, using the checkboxes and **Remove**, which handles about 50 at a time.`,
        upvoters: ['jonas.berg', 'lena.k'],
      },
    ],
  },
  {
    category: 'bank-connections',
    tags: ['stripe', 'reconciliation', 'clearing-account', 'fees'],
    stage: 'adoption',
    title: 'How do I reconcile Stripe payouts that bundle dozens of orders minus fees?',
    body: `I sell pottery online and take payments through Stripe. Every two days Stripe pays out one lump sum, e.g. **$1,843.27**, which covers 40-odd orders minus fees minus a refund or two.

In Ledgerly each order is an invoice marked as paid. I can't match one bank deposit to 40 invoices that add up to a *different* number. How is everyone else doing this?`,
    author: 'rob.tanaka',
    daysAgo: 101,
    views: 3120,
    upvoters: ['sofia.g', 'marcus.chen', 'hannah.lee', 'ben.okoro', 'carlos.mendez', 'jonas.berg'],
    answers: [
      {
        author: 'aisha.b',
        hoursAfter: 6,
        accepted: true,
        body: `The standard approach is a **clearing account**: treat Stripe as a small bank account that sits between your customers and your real bank.

**Set up once**
1. **Banking → Add account → Clearing account**, name it \`Stripe Clearing\`.
2. Record invoice payments **into Stripe Clearing**, not into checking. (With **Apps → Stripe** connected, set its deposit account to Stripe Clearing and this happens automatically.)

**For each payout**
The $1,843.27 deposit appears in your checking feed. Instead of matching it to invoices, code it as a **transfer from Stripe Clearing**.

**Fees and refunds**
Post Stripe's fees as spend money from Stripe Clearing to \`Merchant Fees\`, and refunds as refunds from the same account. The Stripe app does both per payout.

Here's how your example breaks down:

| Payout breakdown | Amount |
| --- | ---: |
| 41 orders paid | 1,962.50 |
| Stripe fees | -65.23 |
| Refund (order #8832) | -54.00 |
| **Paid out to bank** | **1,843.27** |

At any point, the Stripe Clearing balance in Ledgerly should equal your Stripe balance (available + pending). If they match, you're reconciled. If they don't, the difference is nearly always a refund or a dispute you haven't posted.`,
        upvoters: [
          'rob.tanaka',
          'sofia.g',
          'dev.olu',
          'jonas.berg',
          'marcus.chen',
          'hannah.lee',
          'ian.mcd',
          'sam.rivera',
          'carlos.mendez',
        ],
        comments: [
          {
            author: 'rob.tanaka',
            hoursAfter: 9,
            body: "This is what I was missing. My clearing balance is $12 off Stripe right now, so I'll go hunting for the refund I missed.",
          },
          {
            author: 'rob.tanaka',
            hoursAfter: 30,
            body: 'Found it: a $12 partial refund from last month. Balanced to the cent now.',
          },
        ],
      },
      {
        author: 'sofia.g',
        hoursAfter: 26,
        body: `+1 for the clearing account. At your volume I'd also use **Apps → Stripe** instead of matching by hand. It can post **one summary entry per payout** (sales, fees, refunds) into the clearing account instead of 40 invoices, and your contact list doesn't fill up with one-off customers.`,
        upvoters: ['rob.tanaka', 'aisha.b', 'ben.okoro'],
      },
    ],
    selfResolvedBy: ['marcus.chen', 'hannah.lee', 'ben.okoro', 'ian.mcd'],
  },
  {
    category: 'bank-connections',
    tags: ['bank-feeds', 'import', 'csv', 'ofx'],
    stage: 'onboarding',
    title: "Our credit union isn't in the bank list. Can I import statements instead?",
    body: `We keep our reserve account at a small local credit union, and it doesn't come up when I search in **Banking → Connect bank**.

Their online banking exports CSV, OFX and QFX. Which works best with Ledgerly, and how often should I be importing?`,
    author: 'tom_walsh',
    daysAgo: 92,
    views: 870,
    upvoters: ['grace.m'],
    answers: [
      {
        author: 'mira',
        hoursAfter: 5,
        accepted: true,
        body: `Hi Tom, go with **OFX** (QFX is the same format with Quicken branding). OFX files carry a unique ID for every transaction, so if you import overlapping date ranges, Ledgerly skips the lines it already has. CSV has no IDs, so overlaps turn into duplicates.

To import: **Banking → (account) → Import statement → Choose file**.

If you ever have to use CSV, this is the minimum Ledgerly accepts:

\`\`\`csv
Date,Description,Amount
2024-05-01,Transfer from operating,5000.00
2024-05-03,Quarterly dividend,12.48
2024-05-20,Wire fee,-15.00
\`\`\`

Use one \`Amount\` column, with negative numbers for money going out, and dates as \`YYYY-MM-DD\` or in your organization's date format.

As for how often: for a reserve account with a handful of transactions a month, importing once a month before you reconcile is plenty. You can also request a direct feed for the credit union under **Banking → Connect bank → Can't find your bank?**. Requests with more votes get prioritised.`,
        upvoters: ['tom_walsh', 'grace.m', 'priya.h'],
      },
    ],
  },
  {
    category: 'bank-connections',
    tags: ['bank-rules', 'bank-feeds'],
    stage: 'adoption',
    title: 'Can a bank rule match on an amount range AND a description at the same time?',
    body: `Our flour supplier's direct debit always reads \`GRAINWORKS MILLING\`, but the amount varies from about $300 to $1,400 depending on the month.

What I want: description contains \`GRAINWORKS\` **and** amount under $500 → *Ingredients*. Over $500 → split 80/20 between *Ingredients* and *Packaging* (the big orders include boxes). When I add conditions, I can only pick one amount, not a range.`,
    author: 'lena.k',
    daysAgo: 48,
    views: 460,
    upvoters: ['jonas.berg', 'sofia.g'],
    answers: [
      {
        author: 'dev.olu',
        hoursAfter: 9,
        body: `With **All conditions must match** selected, conditions are combined with AND, and you can use the same field twice. So your "big order" rule is:

- Description **contains** \`GRAINWORKS\`
- Amount **is greater than** \`500\`

with the 80/20 split set up as percentages under **Allocate to**.

Then a second rule: description contains \`GRAINWORKS\` and amount **is less than or equal to** \`500\` → 100% *Ingredients*.

Order matters: Ledgerly applies the **first** rule that matches, top of the list first, so drag the more specific rule above any general \`GRAINWORKS\` rule you already have.`,
        upvoters: ['lena.k', 'sofia.g', 'jonas.berg'],
      },
    ],
  },
  {
    category: 'bank-connections',
    tags: ['bank-feeds', 'credit-cards'],
    title: 'Pending card transactions appear in the feed and then disappear a few days later',
    body: `On our company Amex feed, some transactions show up with the merchant's name and then vanish 2–3 days later. A slightly different amount then appears with a new description (restaurants especially, I assume because of tips).

If I've already coded the first one, what happens to it? I've got one client lunch that now seems to be in there twice, once reconciled and once not.`,
    author: 'felix.w',
    daysAgo: 4,
    views: 57,
    upvoters: ['priya.h', 'rob.tanaka'],
    answers: [],
  },

  // ---------------------------------------------------------------- payroll
  {
    category: 'payroll',
    tags: ['payroll', 'ytd', 'migration'],
    stage: 'onboarding',
    title:
      'First payroll in Ledgerly: where do I enter year-to-date figures from our old provider?',
    body: `We're moving 14 staff from our payroll bureau to Ledgerly Payroll. The first pay run is on the 15th, in the middle of a quarter.

The setup checklist has a step called **Prior payroll** that I can't work out. Do I enter every past paycheck since January, or just totals? And what if the old provider's totals don't match their quarterly filing? They're $3.12 off on Medicare, which I assume is rounding.`,
    author: 'tom_walsh',
    daysAgo: 115,
    views: 1460,
    upvoters: ['grace.m', 'aisha.b', 'carlos.mendez'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 4,
        accepted: true,
        body: `Hi Tom. You don't need every paycheck. Ledgerly needs:

1. **Quarterly totals for each completed quarter** this year.
2. **Totals per pay date for the current quarter** before your first Ledgerly run, so the quarter-to-date figures on your next Form 941 are right.

Where: **Payroll → Settings → Prior payroll → Add history**. You can type it in per employee, or download the CSV template and fill it from the old provider's *payroll register* report.

For each employee and period you'll need gross wages, federal income tax withheld, employee and employer Social Security and Medicare, state withholding, and pre-tax deductions such as 401(k) and health premiums.

About the $3.12: enter the figures **exactly as filed** on the old provider's 941. On your first run Ledgerly calculates a small true-up for employer Medicare, which appears as a line called *Prior period rounding*. Much easier than chasing the bureau.

When you're done, open **Payroll → Reports → Prior payroll reconciliation**. Each quarter should have a green tick next to the 941 totals before you run payroll.`,
        upvoters: ['tom_walsh', 'grace.m', 'aisha.b', 'dev.olu', 'carlos.mendez'],
      },
    ],
  },
  {
    category: 'payroll',
    tags: ['payroll', 'overtime', 'hourly'],
    stage: 'adoption',
    title: 'How do I pay overtime when the work week spans two pay periods?',
    body: `We pay every two weeks, with periods ending on a Friday, but our work week for overtime runs Sunday to Saturday. One of our bakers worked 46 hours in a week that straddled the end of a pay period.

Ledgerly's timesheet worked out overtime per pay period, so it showed none at all for her. How do you handle this?`,
    author: 'nadia_r',
    daysAgo: 42,
    views: 730,
    upvoters: ['jonas.berg', 'lena.k'],
    answers: [
      {
        author: 'lena.k',
        hoursAfter: 5,
        accepted: true,
        body: `Hi Nadia (waving from the office 👋). This caught me out too. Two things to check:

1. **Payroll → Settings → Pay schedules → Biweekly**: set **Overtime work week** to *Sunday–Saturday*. Ours was still on the default, *Same as pay period*, which is why nothing was flagged.
2. After changing it, open the current pay run and click **Recalculate timesheets**. Ledgerly looks at the whole work week, including the days in the previous period, and adds the overtime to the run that contains the end of that week.

For her, the 6 hours will show on the current run as \`Overtime (1.5×) 6.00 h\`, with a note pointing back to the week it belongs to.

If you'd rather pay it in the earlier period, add it by hand as **Additional pay**, but then take it out of the next run or she'll be paid twice.`,
        upvoters: ['nadia_r', 'jonas.berg', 'tom_walsh', 'sam.rivera'],
      },
    ],
  },
  {
    category: 'payroll',
    tags: ['payroll', 'direct-deposit', 'ach'],
    stage: 'adoption',
    title: 'Direct deposit failed for one employee: "R03 No account/unable to locate account"',
    body: `The pay run went out yesterday and everyone got paid except one of our nurses. Her pay stub shows **Payment failed** and the details say:

\`\`\`text
ACH return R03 - No account/unable to locate account
\`\`\`

She changed banks last month and updated her details herself in the employee portal. What happens to the money, and how fast can I get her paid? She's understandably not happy.`,
    author: 'tom_walsh',
    daysAgo: 22,
    views: 910,
    upvoters: ['grace.m'],
    answers: [
      {
        author: 'ada',
        hoursAfter: 1,
        accepted: true,
        body: `Sorry about this, Tom. R03 means the receiving bank couldn't find an account with that number at that routing number. It's almost always a typo, or the old bank's routing number left in place when only the account number was changed.

**The money:** the returned funds come back to your payroll funding account automatically, usually 2–4 business days after the return. You don't need to claim them; they'll show under **Payroll → Payments → Returns**.

**Getting her paid today:**
1. Open **Payroll → Pay runs → (this run) → Failed payments**.
2. Click **Reissue → Pay by check**, or **Manual payment** if you'll send it from your own bank. This doesn't recalculate taxes; it only changes how her net pay is delivered.
3. Ask her to re-check **both** the routing and account numbers in the portal. A voided check or a letter from the bank is the safest source.

When the returned funds arrive, Ledgerly matches them to the reissued payment, so there's nothing to reconcile by hand.

@tom_walsh, if you want a safety net for next time, turn on **Payroll → Settings → Require admin approval for bank detail changes**. Then employee edits wait for your OK before the next run.`,
        upvoters: ['tom_walsh', 'grace.m', 'sam.rivera', 'priya.h', 'aisha.b'],
        comments: [
          {
            author: 'tom_walsh',
            hoursAfter: 3,
            body: 'Paid her by transfer and recorded it as a manual payment. She had swapped two digits in the routing number. Approval setting is on now.',
          },
          {
            author: 'grace.m',
            hoursAfter: 80,
            body: 'The returned funds arrived this morning and matched automatically, as promised.',
          },
        ],
      },
    ],
  },
  {
    category: 'payroll',
    tags: ['contractors', '1099', 'payroll'],
    stage: 'evaluating',
    title: 'Can I pay subcontractors through Ledgerly and get 1099s at year end?',
    body: `I use two or three subcontractors on bigger jobs (tiling, electrical). Right now I pay them by check and my accountant builds the 1099-NECs from my check register.

Before I add the payroll add-on: can Ledgerly pay contractors by direct deposit, and does it track who needs a 1099? Or is that only for W-2 employees?`,
    author: 'carlos.mendez',
    daysAgo: 70,
    views: 1080,
    upvoters: ['rob.tanaka', 'sofia.g'],
    answers: [
      {
        author: 'sofia.g',
        hoursAfter: 7,
        body: `You don't need the payroll add-on for contractors. Contractor payments and 1099 tracking are in the base product:

- Mark each subcontractor as a **1099 contractor** (**Contacts → Edit → Tax details**) and enter their W-9 details: legal name, TIN and address. You can attach the W-9 PDF there too.
- Pay them through **bills** as usual. Every payment to a flagged contact counts towards the $600 threshold, **except** payments by credit card, because the card company reports those on a 1099-K.
- At year end, **Reports → 1099 summary** lists everyone over the threshold with their totals per box.

Paying contractors by direct deposit is **Bill Pay (ACH)**. It costs $1 per payment on Starter and is free on Growth and Pro, with no payroll subscription needed.`,
        upvoters: ['carlos.mendez', 'aisha.b', 'rob.tanaka'],
      },
    ],
  },
  {
    category: 'payroll',
    tags: ['payroll', 'pto', 'accruals'],
    title: "PTO balance didn't change after I moved an employee from 30 to 37.5 hours a week",
    body: `One of our receptionists went from 30 to 37.5 hours a week on the 1st. I changed her **Standard hours** in her employee profile, but her PTO is still accruing at the old rate (2.31 h per pay period instead of about 2.88 h).

Do I have to change the accrual policy separately, or does it only recalculate from the next pay run? I don't want to touch the policy itself because it applies to everyone on it.`,
    author: 'grace.m',
    daysAgo: 6,
    views: 74,
    upvoters: ['tom_walsh', 'nadia_r'],
    answers: [],
  },

  // ---------------------------------------------------------------- taxes-reports
  {
    category: 'taxes-reports',
    tags: ['sales-tax', 'tax-rates', 'products'],
    stage: 'onboarding',
    title: "Bakery sales tax: some items are taxable and some aren't. How do I set this up?",
    body: `In our state, bread and cakes sold to take away are exempt, but hot drinks, sandwiches heated on site and anything eaten in are taxable at 7.25%. Right now I add tax line by line on our wholesale and catering invoices, and I've already got it wrong twice.

Can each product carry its own tax treatment so I stop having to think about it?`,
    author: 'jonas.berg',
    daysAgo: 105,
    views: 2210,
    upvoters: ['lena.k', 'nadia_r', 'marcus.chen', 'hannah.lee'],
    answers: [
      {
        author: 'aisha.b',
        hoursAfter: 6,
        accepted: true,
        body: `Yes. Set the tax rate on the **product**, not on the invoice.

1. **Settings → Tax rates**. You'll want at least two rates:
   - \`Sales tax 7.25%\` (your combined state and local rate)
   - \`Exempt - food for home consumption\` at 0%

   Use an *exempt* rate rather than "No tax", so exempt sales still appear on the **exempt sales** line of your sales tax report. Most state returns ask for that figure.
2. **Sales → Products & services**: edit each item and set its **Sales tax rate**. Sourdough loaf → Exempt. Catering coffee urn → 7.25%.
3. On invoices, each line picks up its rate automatically. You can still override it for the odd line.

Where the treatment depends on *how* something is sold (the same sandwich being exempt cold to go and taxable when heated), create two products, e.g. \`Sandwich - cold, to go\` and \`Sandwich - heated\`. It's clunky, but it's what most bakeries do, and it leaves an audit trail.

Do confirm the rules with your state's department of revenue or your accountant. Bakery items are one of the areas where states differ most.`,
        upvoters: ['jonas.berg', 'lena.k', 'nadia_r', 'sofia.g', 'marcus.chen', 'ian.mcd'],
      },
      {
        author: 'sam.rivera',
        hoursAfter: 9,
        body: `To add to Aisha's answer: with a lot of products you can bulk-update the rates. **Products & services → Export**, change the \`SalesTaxRate\` column in the spreadsheet, then **Import** with *Update existing items* ticked.`,
        upvoters: ['lena.k', 'jonas.berg', 'aisha.b'],
      },
    ],
    selfResolvedBy: ['marcus.chen', 'hannah.lee'],
  },
  {
    category: 'taxes-reports',
    tags: ['vat', 'vat-return', 'profit-and-loss'],
    stage: 'adoption',
    title: 'VAT return box 6 is higher than turnover on my Profit & Loss. Which one is wrong?',
    body: `Doing my first VAT return in Ledgerly, for the quarter ending 31 March. Box 6 (total sales excluding VAT) says **£38,412**, but my Profit & Loss for the same three months shows turnover of **£36,950**.

I don't want to submit until I understand the £1,462 difference.`,
    author: 'ian.mcd',
    daysAgo: 30,
    views: 780,
    upvoters: ['aisha.b', 'sofia.g'],
    comments: [
      {
        author: 'aisha.b',
        hoursAfter: 4,
        body: 'Before anyone digs in: are you on the cash accounting scheme, or standard (invoice-based) VAT accounting? You can see it under **Settings → VAT**.',
      },
      {
        author: 'ian.mcd',
        hoursAfter: 6,
        body: 'Cash accounting. I chose it when we registered.',
      },
    ],
    answers: [
      {
        author: 'sofia.g',
        hoursAfter: 10,
        accepted: true,
        body: `That explains it. On **cash accounting**, the VAT return counts sales when you're **paid**, but the Profit & Loss defaults to accruals and counts sales when you **invoice**.

So box 6 includes money received this quarter for invoices dated last quarter, and leaves out invoices from this quarter that haven't been paid yet.

To check:
1. Run **Reports → Profit & Loss** and switch the basis (top right) from *Accrual* to **Cash**. Turnover should now be very close to box 6.
2. Any small gap left is usually income that's in box 6 but isn't in *Sales* on the P&L, such as selling a piece of old equipment.
3. **VAT → (this return) → Box 6 → View transactions** lists every line in the box. Export it and compare with the cash-basis P&L if you need to pin it down.

Neither figure is wrong. They answer different questions.`,
        upvoters: ['ian.mcd', 'aisha.b', 'jonas.berg', 'mira'],
        comments: [
          {
            author: 'ian.mcd',
            hoursAfter: 14,
            body: 'Cash-basis P&L gives £38,390. The other £22 is the old milk fridge I sold, which went through as an asset disposal, so that is right too. Submitted. Cheers!',
          },
        ],
      },
    ],
  },
  {
    category: 'taxes-reports',
    tags: ['year-end', 'lock-dates', 'permissions'],
    stage: 'adoption',
    title: "How do I stop anyone changing last year's figures once our accountant has filed?",
    body: `Our accounts for last year are done. The year before, someone (okay, me) edited a January bill *after* the accountant had finished, and she had to redo a whole set of adjustments.

Is there a way to freeze everything up to 31 December?`,
    author: 'priya.h',
    daysAgo: 84,
    views: 690,
    upvoters: ['felix.w', 'tom_walsh', 'aisha.b'],
    answers: [
      {
        author: 'mira',
        hoursAfter: 2,
        accepted: true,
        body: `Yes, that's what **lock dates** are for:

1. Go to **Settings → Financial settings → Lock dates**.
2. There are two:
   - **Lock for non-admins**: Standard users can't create, edit or delete anything dated on or before this date.
   - **Lock for everyone**: nobody can, admins included.
3. Set **Lock for everyone** to 31 December last year. You can also move the non-admin lock forward each month once that month is reconciled.

If an admin ever has to change something in a locked period, they need to move the lock date first, and that change is recorded in **Settings → History & audit**, so your accountant can always see if it happened.`,
        upvoters: ['priya.h', 'aisha.b', 'felix.w', 'sofia.g'],
      },
    ],
  },
  {
    category: 'taxes-reports',
    tags: ['reports', 'tracking-categories', 'projects'],
    stage: 'adoption',
    title: 'Profit & Loss for each architecture project: tracking categories or separate accounts?',
    body: `The partners want a profit figure for each project: fees invoiced minus consultants, printing and travel, and ideally our own time.

I can see two options: an income account per project (we have about 25 live projects), or **tracking categories**. There's also a **Projects** tab, which I think is Pro only. What do firms our size (9 staff) usually do?`,
    author: 'felix.w',
    daysAgo: 36,
    views: 520,
    upvoters: ['priya.h', 'dev.olu'],
    answers: [
      {
        author: 'dev.olu',
        hoursAfter: 8,
        body: `Don't create accounts per project. Your chart of accounts turns into a phone book, and you have to archive accounts every time a job closes.

**Tracking categories** (Growth and up) are the simple route:
- One category called \`Project\`, with an option per job (\`HP-2307 Lakeside Library\`, and so on).
- Tag invoice lines and bills with it.
- **Reports → Profit & Loss → Filter by tracking category** for one project, or the *Tracking summary* report for all of them side by side.

What tracking can't give you is **time**. If the partners want staff cost per project, that's what **Projects** on Pro adds: timesheets with cost rates, so each project shows fees against consultants *and* the cost of your own hours.`,
        upvoters: ['felix.w', 'priya.h', 'aisha.b'],
      },
      {
        author: 'priya.h',
        hoursAfter: 30,
        body: `Felix, let's start with tracking categories for now. I'll ask the partners at the next meeting whether the time reporting is worth moving to Pro. Can you put the project number first in each option name so they sort properly?`,
        upvoters: ['felix.w'],
      },
    ],
  },
  {
    category: 'taxes-reports',
    tags: ['reports', 'export', 'general-ledger'],
    stage: 'adoption',
    title:
      'General ledger export for my accountant stops at 1,000 rows. How do I get the whole year?',
    body: `Our accountant wants the full **General ledger** for the year as a spreadsheet. When I run **Reports → General ledger** for January to December and click **Export → Excel**, the file stops at exactly 1,000 rows with a note at the bottom: *Results truncated*.

We have roughly 6,000 transactions. Do I really have to export it month by month?`,
    author: 'marcus.chen',
    daysAgo: 19,
    views: 430,
    upvoters: ['aisha.b', 'carlos.mendez'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 3,
        accepted: true,
        body: `Hi Marcus. The on-screen report caps exports at 1,000 rows to keep it responsive. For everything, use the background export:

1. **Reports → General ledger**, set the date range.
2. Click **Export → Full export (CSV)** instead of *Excel*.
3. You'll get an email when it's ready (a few minutes for 6,000 lines), with a download link that's valid for 7 days.

The CSV opens fine in Excel. Even easier: invite your accountant under **Settings → Users → Invite advisor**. Advisors are free, don't count towards your user limit, and can run any report themselves.`,
        upvoters: ['marcus.chen', 'aisha.b', 'sofia.g'],
        comments: [
          {
            author: 'aisha.b',
            hoursAfter: 10,
            body: 'Speaking as an accountant: please do the advisor invite 🙏 It saves so many emails.',
          },
          {
            author: 'marcus.chen',
            hoursAfter: 12,
            body: '@aisha.b fair point, ours is invited now. The full CSV arrived in about 3 minutes. Thanks Sam.',
          },
        ],
      },
    ],
  },
  {
    category: 'taxes-reports',
    tags: ['1099', 'year-end', 'contractors'],
    stage: 'adoption',
    title: 'Does Ledgerly e-file 1099-NEC forms or only generate the PDFs?',
    body: `Following up on my contractor question from a while back. I've got 3 subcontractors over the $600 threshold this year and I want to get ahead of the filing deadline.

**Reports → 1099 summary** has a **Download forms** button that gives me PDFs. Can I e-file with the IRS from inside Ledgerly, and does it handle state filing too, or do I still need a separate service?`,
    author: 'carlos.mendez',
    daysAgo: 3,
    views: 61,
    upvoters: ['rob.tanaka', 'sofia.g'],
    answers: [],
  },

  // ---------------------------------------------------------------- account-billing
  {
    category: 'account-billing',
    tags: ['plans', 'pricing', 'payroll'],
    stage: 'purchasing',
    title: 'Growth or Pro for a studio with 3 part-time instructors? What would I actually pay?',
    body: `My trial ends on Friday. I need invoicing, card payments, one bank feed, and payroll for 3 part-time instructors.

The pricing page lists Growth at $35/month and Pro at $70/month, but I can't tell whether payroll is included in either or costs extra. What would my monthly bill actually be?`,
    author: 'hannah.lee',
    daysAgo: 90,
    views: 1720,
    upvoters: ['marcus.chen', 'carlos.mendez'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 2,
        accepted: true,
        body: `Hi Hannah, good question. Payroll is a separate add-on on every plan.

| | Growth | Pro |
| --- | --- | --- |
| Base price | $35/mo | $70/mo |
| Users | 3 | Unlimited |
| Bank feeds | Unlimited | Unlimited |
| Multi-currency | ✓ | ✓ |
| Tracking categories | 2 | Unlimited |
| Projects & timesheets | — | ✓ |
| Payroll add-on | $20/mo + $6 per employee | $20/mo + $6 per employee |

For you on Growth: $35 + $20 + (3 × $6) = **$73/month**, plus the processing fees on card payments you take.

From what you've described, nothing on Pro applies to you. Studios usually move up for projects and timesheets or for more than 3 users. You can upgrade at any time and the difference is prorated.`,
        upvoters: ['hannah.lee', 'marcus.chen', 'carlos.mendez', 'nadia_r'],
        comments: [
          {
            author: 'hannah.lee',
            hoursAfter: 4,
            body: "That's much clearer than the pricing page, thank you. Going with Growth.",
          },
          {
            author: 'sam.rivera',
            hoursAfter: 5,
            body: "Thanks for saying so. I've passed that on to the team that owns the pricing page.",
          },
        ],
      },
    ],
    selfResolvedBy: ['carlos.mendez', 'ian.mcd'],
  },
  {
    category: 'account-billing',
    tags: ['billing', 'upgrade', 'proration'],
    stage: 'adoption',
    title: 'We were charged twice this month after upgrading to Pro mid-cycle',
    body: `Our card statement shows two Ledgerly charges this month:
- **$28.00** on the 4th
- **$70.00** on the 28th

We upgraded from Growth to Pro on the 4th, and our billing date is the 28th. Is the first one a mistake? The invoice PDF for it just says "Plan change".`,
    author: 'priya.h',
    daysAgo: 25,
    views: 590,
    upvoters: ['felix.w'],
    answers: [
      {
        author: 'ada',
        hoursAfter: 5,
        accepted: true,
        body: `Hi Priya, it isn't a duplicate, though I can see why it looks like one.

- **$28.00 on the 4th** is the prorated difference between Growth and Pro for the 24 days left in the cycle that began on the 28th of last month: ($70 − $35) × 24 ⁄ 30 = $28.00.
- **$70.00 on the 28th** is your normal renewal, now at the Pro price.

From now on it's a single $70 charge on the 28th. I've also changed the description on that invoice to *Prorated upgrade: Growth → Pro (24 of 30 days)* so it makes sense to your accountant. You can download the updated PDF from **Settings → Billing → Invoices**.`,
        upvoters: ['priya.h', 'felix.w', 'sam.rivera'],
      },
    ],
  },
  {
    category: 'account-billing',
    tags: ['account-ownership', 'users', 'billing'],
    stage: 'adoption',
    title: 'How do I transfer ownership of our Ledgerly organization to the new practice director?',
    body: `I set up Ledgerly for the clinic, so I'm listed as the **Owner**. Our new practice director, Dr. Amara Singh, starts next month, and the partners want her to be the owner with billing on the clinic's card instead of mine.

I still need admin access afterwards for day-to-day work. What's the process?`,
    author: 'tom_walsh',
    daysAgo: 12,
    views: 240,
    upvoters: ['grace.m'],
    answers: [
      {
        author: 'mira',
        hoursAfter: 4,
        accepted: true,
        body: `Hi Tom, it's a short handover:

1. Make sure Dr. Singh has a Ledgerly login and is an **Admin** in your organization (**Settings → Users**).
2. Go to **Settings → Organization → Ownership → Transfer ownership**, choose her, and confirm with your password.
3. She gets an email and has **7 days** to accept. Nothing changes until she does.
4. Once she accepts, she becomes the Owner and you automatically stay an **Admin**. Nothing else about your access changes.

The payment card **doesn't** move automatically. After accepting, she should add the clinic's card under **Settings → Billing → Payment method**, and then remove yours.

Only the owner can change the plan or close the organization, so it's worth doing before she needs to make either decision.`,
        upvoters: ['tom_walsh', 'grace.m', 'priya.h'],
      },
    ],
  },
  {
    category: 'account-billing',
    tags: ['billing', 'annual-plan', 'pricing'],
    stage: 'purchasing',
    title: 'Is there a discount for paying annually, and can I switch back to monthly later?',
    body: `We're three months in and staying with Ledgerly. Paying monthly on Growth is fine, but if there's an annual discount I'd take it.

I couldn't find an annual option in **Settings → Billing**. Does it exist, and if we go annual, are we locked in for 12 months?`,
    author: 'marcus.chen',
    daysAgo: 50,
    views: 380,
    upvoters: ['hannah.lee'],
    answers: [
      {
        author: 'rob.tanaka',
        hoursAfter: 6,
        body: `It exists but it's a bit hidden: **Settings → Billing → Change plan**, then there's a *Monthly / Annual* toggle above the plan cards. Annual works out to two months free (Growth is $350 a year instead of $420).

I switched to annual last year. As far as I know there's no partial refund if you go back to monthly mid-year; it just switches at the next renewal. Would be good if someone from Ledgerly confirmed that, though.`,
        upvoters: ['marcus.chen', 'carlos.mendez', 'hannah.lee'],
      },
      {
        author: 'jonas.berg',
        hoursAfter: 20,
        body: `We pay annually too. One thing to know: the payroll add-on is still billed monthly on an annual plan, because it depends on how many people you pay each month.`,
        upvoters: ['marcus.chen', 'lena.k'],
      },
    ],
  },
  {
    category: 'account-billing',
    tags: ['data-export', 'cancellation', 'attachments'],
    stage: 'purchasing',
    title: 'If we ever cancel, can we still get at six years of records, including receipt images?',
    body: `Not planning to leave, but my accountant asked and I couldn't answer. HMRC expects us to keep records for six years, so what happens to our data if we cancel Ledgerly?

- Is there a full export that includes **receipt images and attachments**, not just reports?
- Is there a read-only mode after cancelling, and does it cost anything?`,
    author: 'ian.mcd',
    daysAgo: 8,
    views: 95,
    upvoters: ['aisha.b', 'sofia.g', 'jonas.berg'],
    answers: [],
  },

  // ---------------------------------------------------------------- integrations-api
  {
    category: 'integrations-api',
    tags: ['api', 'invoices', 'errors'],
    stage: 'onboarding',
    title: 'API returns 422 "line_items[0].account_code is invalid" when creating an invoice',
    body: `I'm building a small integration that pushes bookings from our scheduling system into Ledgerly as invoices. Against the sandbox org, this request:

\`\`\`bash
curl -X POST https://api.ledgerly.example/v2/invoices \\
  -H "Authorization: Bearer $LEDGERLY_TOKEN" -H "Content-Type: application/json" \\
  -d '{"contact_id":"c_8f2k1","date":"2024-06-03","line_items":[{"description":"Deep tissue 60 min","quantity":1,"unit_amount":85,"account_code":"Sales"}]}'
\`\`\`

returns \`422 Unprocessable Entity\` with \`line_items[0].account_code is invalid\`. "Sales" definitely exists in the chart of accounts.`,
    author: 'ben.okoro',
    daysAgo: 64,
    views: 1150,
    upvoters: ['dev.olu', 'rob.tanaka'],
    answers: [
      {
        author: 'dev.olu',
        hoursAfter: 3,
        accepted: true,
        body: `\`account_code\` wants the account's **code**, not its name. In the default chart of accounts, \`Sales\` is \`4000\`. You can see the codes under **Accounting → Chart of accounts**, or list them:

\`\`\`bash
curl -s "https://api.ledgerly.example/v2/accounts?type=revenue" \\
  -H "Authorization: Bearer $LEDGERLY_TOKEN" | jq -c '.data[] | {code, name}'
\`\`\`

\`\`\`json
{"code":"4000","name":"Sales"}
{"code":"4010","name":"Service Income"}
{"code":"4900","name":"Other Revenue"}
\`\`\`

So your line item becomes:

\`\`\`json
{
  "description": "Deep tissue 60 min",
  "quantity": 1,
  "unit_amount": 85,
  "account_code": "4000",
  "tax_rate_id": "tr_exempt"
}
\`\`\`

Two more things that will bite you next:
- If the org has sales tax set up, a line without \`tax_rate_id\` falls back to the account's default rate, which may not be what you want. Set it explicitly.
- \`unit_amount\` is a decimal in the org's currency (\`85\` means 85.00), **not** cents. Send cents and an $85 massage becomes an $8,500 invoice.`,
        upvoters: ['ben.okoro', 'sam.rivera', 'rob.tanaka', 'sofia.g', 'ada'],
        comments: [
          {
            author: 'ben.okoro',
            hoursAfter: 5,
            body: 'That was it. And thanks for the cents warning: our scheduling system stores amounts in cents, so that would have been my next bug.',
          },
          {
            author: 'ada',
            hoursAfter: 24,
            body: 'Thanks for flagging the confusing message. The next API release changes it to `account_code "Sales" not found; expected an account code such as "4000"`.',
          },
        ],
      },
    ],
  },
  {
    category: 'integrations-api',
    tags: ['webhooks', 'api', 'nodejs', 'security'],
    stage: 'onboarding',
    title: 'Webhook signature verification keeps failing in Node. What exactly is signed?',
    body: `I'm receiving \`invoice.paid\` webhooks fine, but my HMAC never matches the \`Ledgerly-Signature\` header. I'm doing:

\`\`\`js
const expected = crypto.createHmac('sha256', secret).update(JSON.stringify(req.body)).digest('hex');
\`\`\`

The docs say "HMAC-SHA256 of the payload". Is that the raw body? Is the timestamp part of it?`,
    author: 'ben.okoro',
    daysAgo: 58,
    views: 980,
    upvoters: ['dev.olu', 'rob.tanaka', 'sofia.g'],
    answers: [
      {
        author: 'ada',
        hoursAfter: 4,
        accepted: true,
        body: `Hi Ben, two things are going wrong there:

1. **Sign the raw body bytes**, not \`JSON.stringify(req.body)\`. Once Express has parsed the JSON, serializing it again can change whitespace, key order and number formatting, so the hash never matches.
2. **The timestamp is included.** The header looks like this:

\`\`\`text
Ledgerly-Signature: t=1717430400,v1=5f2b1c9e0d7a...
\`\`\`

The signed string is the \`t\` value, a literal \`.\`, then the raw body. A working Express handler:

\`\`\`js
import crypto from 'node:crypto';
import express from 'express';

const app = express();

app.post('/webhooks/ledgerly', express.raw({ type: 'application/json' }), (req, res) => {
  const header = req.get('Ledgerly-Signature') ?? '';
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
  const signed = parts.t + '.' + req.body.toString('utf8');
  const expected = crypto
    .createHmac('sha256', process.env.LEDGERLY_WEBHOOK_SECRET)
    .update(signed)
    .digest('hex');

  const received = parts.v1 ?? '';
  const valid =
    received.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(received), Buffer.from(expected));
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  if (!valid || !fresh) return res.status(400).send('invalid signature');

  const event = JSON.parse(req.body.toString('utf8'));
  console.log('ledgerly event', event.type, event.data.id);
  res.sendStatus(200);
});
\`\`\`

The five-minute freshness check protects you against replayed requests. Also make sure you're using the secret for **this endpoint** (**Apps & API → Webhooks → (endpoint) → Reveal secret**). Every endpoint has its own, and sandbox and live orgs never share one.`,
        upvoters: ['ben.okoro', 'dev.olu', 'rob.tanaka', 'sam.rivera'],
        comments: [
          {
            author: 'ben.okoro',
            hoursAfter: 7,
            body: '`express.raw` was the missing piece. I had `express.json()` mounted globally, so the body was already parsed by the time it reached my handler. Verified now, thanks!',
          },
        ],
      },
      {
        author: 'dev.olu',
        hoursAfter: 9,
        body: `For local testing you can replay a real delivery from **Apps & API → Webhooks → (endpoint) → Deliveries → Resend**, or sign a payload yourself:

\`\`\`bash
TS=$(date +%s)
BODY='{"type":"invoice.paid","data":{"id":"inv_123"}}'
SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$LEDGERLY_WEBHOOK_SECRET" | awk '{print $NF}')
curl -X POST http://localhost:3000/webhooks/ledgerly \\
  -H "Content-Type: application/json" \\
  -H "Ledgerly-Signature: t=$TS,v1=$SIG" \\
  -d "$BODY"
\`\`\``,
        upvoters: ['ben.okoro', 'ada'],
      },
    ],
  },
  {
    category: 'integrations-api',
    tags: ['shopify', 'integrations', 'sales'],
    stage: 'adoption',
    title:
      'Shopify integration creates one invoice per order. Can it post a daily summary instead?',
    body: `Since I connected **Apps → Shopify**, every order creates its own invoice and its own customer. Two months in, I've got 1,900 invoices and about 1,400 one-off customers cluttering the contact list.

The Stripe app has a "summary per payout" option. Is there something similar for Shopify? My accountant only cares about daily totals by tax rate and payment method.`,
    author: 'rob.tanaka',
    daysAgo: 75,
    views: 1390,
    upvoters: ['marcus.chen', 'sofia.g', 'hannah.lee', 'aisha.b'],
    answers: [
      {
        author: 'sofia.g',
        hoursAfter: 5,
        body: `Not built in, as far as I know. For two e-commerce clients I switched off the Shopify app's invoice sync and used a connector that posts **daily summary journals** instead: sales by tax rate, discounts, shipping, refunds, and the split between Shopify Payments and PayPal. There are a few in the Ledgerly app marketplace (search for "summary"), at roughly $10–20 a month.

For the 1,400 contacts you already have: **Contacts → filter *Created by: Shopify* → Select all → Archive**. Archived contacts keep their invoice history.`,
        upvoters: ['rob.tanaka', 'marcus.chen', 'aisha.b', 'dev.olu'],
      },
      {
        author: 'mira',
        hoursAfter: 22,
        body: `Thanks for raising this, Rob. A daily summary mode for Shopify is on the roadmap and is currently our most requested integration change. I've linked this thread to the feature request, so you'll get a notification when it reaches beta. Sofia's archiving tip is the best way to tidy up in the meantime.`,
        upvoters: ['rob.tanaka', 'sofia.g'],
      },
      {
        author: 'ben.okoro',
        hoursAfter: 40,
        body: `If you're comfortable with a small script, the API can do this today: pull the day's orders from Shopify's Admin API every night, group them by tax rate and payment gateway, and send one \`POST /v2/manual_journals\` per day. Mine is about 80 lines and has been running for four months. Happy to share it.`,
        upvoters: ['dev.olu'],
        comments: [
          {
            author: 'rob.tanaka',
            hoursAfter: 46,
            body: "@ben.okoro I'd love to see it, even if I end up using a connector.",
          },
        ],
      },
    ],
  },
  {
    category: 'integrations-api',
    tags: ['api', 'rate-limits', 'sync'],
    stage: 'adoption',
    title: 'Getting 429 Too Many Requests during a nightly sync. What are the API rate limits?',
    body: `I run a nightly job for a few bookkeeping clients that pulls bank transactions and invoices modified in the last day. For the biggest client (about 900 invoices a month) it has started failing partway through with \`429 Too Many Requests\`.

I can't find the limits documented anywhere. What are they, and is there a header that tells me when to retry?`,
    author: 'dev.olu',
    daysAgo: 16,
    views: 340,
    upvoters: ['ben.okoro', 'rob.tanaka'],
    answers: [
      {
        author: 'sam.rivera',
        hoursAfter: 4,
        accepted: true,
        body: `Hi Olu. The limits apply per organization and per API key:

- **120 requests per minute**
- **5,000 requests per day**
- **5 concurrent requests**

Every response tells you where you stand:

\`\`\`bash
curl -i "https://api.ledgerly.example/v2/invoices?modified_since=2024-06-01T00:00:00Z" \\
  -H "Authorization: Bearer $LEDGERLY_TOKEN"
\`\`\`

\`\`\`text
HTTP/2 200
x-ratelimit-limit: 120
x-ratelimit-remaining: 37
x-ratelimit-reset: 1717459260
\`\`\`

A \`429\` also includes \`Retry-After\` in seconds. Wait that long, then carry on.

To make far fewer calls:
- Use \`page_size=200\` (the default is 50). That alone cuts your invoice calls by 4×.
- Keep using \`modified_since\` on every list endpoint.
- For bank transactions, subscribe to the \`bank_transaction.created\` webhook instead of polling.

You're right that this is missing from the docs. I've asked for it to be added to [API limits](https://example.com/docs/api/limits).`,
        upvoters: ['dev.olu', 'ben.okoro', 'rob.tanaka'],
      },
    ],
  },
  {
    category: 'integrations-api',
    tags: ['zapier', 'invoices', 'automation'],
    title: 'Zapier: is there a trigger for when an invoice becomes overdue?',
    body: `I want a Zap that posts to our team's Slack channel when a wholesale invoice goes overdue, so whoever's on the phones can call the customer.

In Zapier the only Ledgerly triggers I can see are *New invoice*, *Invoice paid* and *New contact*. Am I missing one, or is there a workaround with a schedule plus a search step?`,
    author: 'lena.k',
    daysAgo: 5,
    views: 48,
    upvoters: ['jonas.berg', 'priya.h'],
    answers: [],
  },
  {
    category: 'integrations-api',
    tags: ['square', 'pos', 'tips', 'vat'],
    title: 'Square sync puts card tips into Sales. Can tips go to a separate account?',
    body: `We use Square at the café and connected it through **Apps → Square**. The daily summary works, but card tips are included in *Sales*, which inflates our turnover and, worse, our VAT figures. The tips are paid out to staff through payroll every week.

Is there a mapping for tips in the Square app settings? I can only see mappings for *Sales*, *Discounts*, *Refunds* and *Fees*.`,
    author: 'ian.mcd',
    daysAgo: 9,
    views: 84,
    upvoters: ['jonas.berg', 'sofia.g', 'aisha.b'],
    answers: [],
  },
];
