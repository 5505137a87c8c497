/**
 * Demo knowledge base for the "Ledgerly" help center: the articles, who wrote and owns them,
 * which community answers they were promoted from, and a little reader feedback.
 *
 * Pure data. Product facts (plans, prices, menu paths, error codes, API limits) match the
 * demo community in `community-content.ts`. Usernames refer to the accounts in `demo.ts`
 * or to `demoCommunityMembers`.
 */

import type { JourneyStage, Visibility } from '#db/schema';

export type SeedArticleFeedback = {
  by: string; // username of a member (not staff)
  helpful: boolean;
  reason?: 'outdated' | 'unclear' | 'did_not_solve' | 'other'; // only when helpful is false
  comment?: string; // optional, max 300 chars, only with a reason
};

export type SeedArticle = {
  title: string; // 20 to 90 characters
  slug: string; // lowercase ascii words joined by '-', unique, max 60 chars
  category: string; // one of the category slugs ('' for none)
  tags: string[]; // 1 to 4 lowercase tags, words joined by '-'
  stage?: JourneyStage;
  visibility?: Exclude<Visibility, 'audience'>; // who may read it; public when absent
  body: string; // Markdown
  author: string; // 'sam.rivera' | 'ada' | 'mira'
  owner: string; // same set; who keeps it accurate
  status: 'draft' | 'in_review' | 'published' | 'archived';
  daysAgo: number; // created this many days ago (1..200)
  publishedDaysAgo?: number; // for published/archived: when published, <= daysAgo
  views: number; // published ones: 20..6000; others 0
  promotedFrom?: { threadTitle: string; answerAuthor: string };
  feedback?: SeedArticleFeedback[]; // only on published articles; one per username
  selfResolvedBy?: string[]; // member usernames who pressed "This solved my problem"
};

export const demoArticles: SeedArticle[] = [
  // ---------------------------------------------------------------- getting-started
  {
    title: "Start your 14-day free trial: what's included and what happens next",
    slug: 'start-your-free-trial',
    category: 'getting-started',
    tags: ['trial', 'plans'],
    stage: 'evaluating',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 190,
    publishedDaysAgo: 188,
    views: 4310,
    body: `Every new Ledgerly organization starts with a **14-day free trial**. You don't need a card to begin, and everything you set up during the trial (bank feeds, customers, invoices, payroll settings) stays exactly where it is when you pick a plan. There's nothing to export or re-enter.

## What's included in the trial

The trial unlocks every feature of the **Pro** plan, so you can try the things that differ between plans before you decide:

- Unlimited users, so you can invite your bookkeeper or accountant on day one
- Bank feeds for all your accounts, bank rules and reconciliation
- Invoices, quotes and online card payments through Ledgerly Payments
- Multi-currency, tracking categories, and **Projects & timesheets**
- The payroll add-on in **practice mode**: add employees and run test pay runs, but no money moves and nothing is filed

> **Tip:** Card payments you take during the trial are real payments. The usual processing fee applies and the money is paid out to your bank as normal.

## Make the most of two weeks

### Week one: get your data in
1. Connect your main business account under **Banking → Connect bank**.
2. Import your customers from **Sales → Customers → Import**, and any unpaid invoices from **Sales → Invoices → Import (CSV)**.
3. Add your logo, bank details and payment terms under **Settings → Invoice templates**, then send one real invoice.

### Week two: try your month-end
1. Reconcile a week or two of bank transactions under **Banking → Reconcile**.
2. Run **Reports → Profit & Loss** and check it looks the way you expect.
3. If you'll use payroll, run a practice pay run for one employee and look at the pay stub.

## When the trial ends

- **If you've chosen a plan** under **Settings → Billing → Change plan**, nothing changes apart from billing starting. Choosing early doesn't cut your trial short: the first charge is on the day the trial would have ended.
- **If you haven't**, the organization becomes **read-only**. You can still sign in, run reports and export, but you can't add or edit anything, and bank feeds pause. We keep read-only trial organizations for 60 days.
- **If you choose Starter or Growth**, Pro-only features such as Projects become read-only. Nothing is deleted, and upgrading later brings them back.

### Need a few more days?
If you're in the middle of a migration, contact support before the trial ends. We can extend it once, by up to 7 days.`,
  },
  {
    title: 'Set up your organization: a first-day checklist',
    slug: 'set-up-your-organization-checklist',
    category: 'getting-started',
    tags: ['setup', 'chart-of-accounts'],
    stage: 'onboarding',
    author: 'mira',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 185,
    publishedDaysAgo: 183,
    views: 3870,
    body: `A clean setup saves hours later. This checklist covers what to do in your first session, roughly in order. Most of it takes a few minutes per step, and you can come back to any of it from **Settings** at any time.

## Before you enter any transactions

These settings are hard or impossible to change once you have transactions, so start here.

1. **Organization details**: **Settings → Organization**. Enter your legal name, trading name, address and tax ID. These appear on invoices and reports.
2. **Financial year and tax**: **Settings → Financial settings**. Set your financial year end and your sales tax or VAT basis. If you're not sure whether you're on cash or accrual accounting for tax, ask your accountant before choosing.
3. **Chart of accounts template**: pick the industry template closest to your business (for example *Retail* if you sell stock, *Professional services* if you bill time).

> **Important:** the industry template can't be swapped once transactions exist. You can still add, archive and rename accounts under **Accounting → Chart of accounts**, but choosing well now saves a tidy-up later.

## Connect your money

4. **Bank feeds**: **Banking → Connect bank**. Connect every account you use for the business, including credit cards. See *Connect your bank feed* for details.
5. **Card payments**: **Settings → Payments**. Turn on Ledgerly Payments if you want customers to pay invoices online.
6. **Conversion balances**: if you're moving from another system, set your conversion date under **Settings → Conversion balances**.

## Make invoicing quick

7. **Invoice template**: **Settings → Invoice templates**. Add your logo, bank details and default payment terms.
8. **Products & services**: **Sales → Products & services**. Add the things you sell most, each with its price, income account and tax rate.
9. **Reminders**: **Settings → Invoice reminders**. A common setup is 3 days before the due date, on the due date, and 7 days after.

## Set up your team

10. **Users**: **Settings → Users → Invite**. Choose *Admin*, *Standard* or *Read only* for each person, and use **Customize access** to fine-tune areas such as payroll.
11. **Your accountant**: **Settings → Users → Invite advisor**. Advisors are free and don't count towards your user limit.
12. **Receipts inbox**: every organization has its own forwarding address, shown under **Purchases → Receipts inbox**. Share it with anyone who buys things for the business so receipts arrive as draft bills.

### What to leave for later
Bank rules and tracking categories work best once you've seen a few weeks of real transactions. Add a reminder to review them at the end of your first month.`,
  },
  {
    title: 'Choose a conversion date and enter your opening balances',
    slug: 'conversion-date-and-opening-balances',
    category: 'getting-started',
    tags: ['opening-balances', 'conversion-date', 'migration'],
    stage: 'purchasing',
    author: 'mira',
    owner: 'ada',
    status: 'published',
    daysAgo: 104,
    publishedDaysAgo: 102,
    views: 2260,
    promotedFrom: {
      threadTitle:
        'What conversion date should I use if we switch to Ledgerly in the middle of our financial year?',
      answerAuthor: 'aisha.b',
    },
    body: `Your **conversion date** is the day Ledgerly takes over from your previous system. Everything before it lives in your old records as a set of balances; everything from that day on is entered in Ledgerly. You don't have to wait for your year end to switch, but the date you choose affects how much work you do now and how your accountant handles the year.

## Choosing the date

You have two realistic options:

- **The start of your financial year.** Your whole year lives in one system, which your accountant will appreciate, but you'll need to re-enter or import everything since that date.
- **The first day of an upcoming month.** Far less work: you enter balances as at the day before, and start fresh.

Mid-year conversion is perfectly normal. To keep it clean:

- Pick the **first day of a sales tax period**, so each return comes entirely from one system.
- If you'll use **Ledgerly Payroll**, pick the **first day of a calendar quarter**. Year-to-date payroll is much easier to enter for whole quarters.
- **Talk to your accountant first.** With a mid-year switch, your year is split: they'll need the old system's Profit & Loss up to the conversion date and Ledgerly's after it. Most are happy with that, but some prefer a year-end switch.

## What you need from your old system

All as at the **day before** your conversion date:

- A **trial balance** showing every account with its debit or credit balance
- **Aged receivables**: each unpaid customer invoice
- **Aged payables**: each unpaid supplier bill
- **Bank statement balances** for every account, plus any uncleared checks or deposits

## Entering the balances

1. Go to **Settings → Conversion balances** and set the conversion date.
2. Enter the trial balance figures, but **leave \`Accounts Receivable\` and \`Accounts Payable\` empty**.
3. Enter or import each unpaid invoice and bill individually, with its **original** date. Ledgerly builds receivables and payables from them.
4. Check the conversion balances screen shows a **difference of 0.00**.
5. When you reconcile your first bank statement after the conversion date, tick off the uncleared items from before it.

> **Tip:** if the difference isn't zero, compare Ledgerly's **Reports → Aged receivables** total with your old system's. A missing or duplicated invoice is the usual cause.`,
    selfResolvedBy: ['hannah.lee', 'carlos.mendez'],
  },
  {
    title: 'Import customers and unpaid invoices from a spreadsheet',
    slug: 'import-customers-and-open-invoices',
    category: 'getting-started',
    tags: ['import', 'csv', 'invoices', 'migration'],
    stage: 'purchasing',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 92,
    publishedDaysAgo: 91,
    views: 2980,
    promotedFrom: {
      threadTitle:
        'Can I import my customer list and open invoices from a spreadsheet when switching to Ledgerly?',
      answerAuthor: 'sam.rivera',
    },
    body: `If your customers and unpaid invoices live in a spreadsheet, you can bring both into Ledgerly with two CSV imports instead of retyping them. Both imports work during your free trial, so nothing is lost when you choose a plan.

## Import your customers

1. Go to **Sales → Customers → Import**.
2. Download the template, or upload your own CSV and map its columns on the next screen.
3. Only \`Name\` is required. \`Email\`, \`Phone\`, \`Billing address\` and \`Payment terms\` are optional.
4. Check the preview and click **Import**.

Rows whose email already exists in Ledgerly are skipped, so it's safe to run the import again after fixing a few rows.

## Import your unpaid invoices

1. Go to **Sales → Invoices → Import (CSV)**.
2. Each row is **one line item**. Rows that share an \`InvoiceNumber\` are grouped into one invoice.
3. These columns are required: \`InvoiceNumber\`, \`Customer\`, \`InvoiceDate\`, \`DueDate\`, \`Description\`, \`Quantity\`, \`UnitAmount\`, \`AccountCode\`.

\`\`\`csv
InvoiceNumber,Customer,InvoiceDate,DueDate,Description,Quantity,UnitAmount,AccountCode
INV-0310,Northside Dental,2024-03-04,2024-04-03,Monthly retainer,1,450.00,4000
INV-0310,Northside Dental,2024-03-04,2024-04-03,Extra site visit,2,75.00,4000
INV-0311,Cole & Daughters,2024-03-06,2024-04-05,Window display design,1,320.00,4000
\`\`\`

\`AccountCode\` is the income account's **code** (for example \`4000\` for Sales), not its name. You'll find the codes under **Accounting → Chart of accounts**.

### Check before you approve
Imported invoices arrive as **Draft**. Before approving anything:

1. Run **Reports → Aged receivables** and compare the total with your spreadsheet.
2. If they match to the cent, select the drafts and click **Approve**. Use **Approve & email** only if you actually want every customer to receive a fresh copy.

## Common problems

- **Dates read the wrong way round.** The mapping screen has a **date format** dropdown that defaults to your organization's locale. Set it to match your file, for example \`MM/DD/YYYY\`.
- **Totals don't match.** Nearly always a description containing a comma, which splits into two columns. Wrap those cells in double quotes and import again.
- **Customer not found.** The \`Customer\` value must match an existing customer name exactly, so import customers first.

> **Tip:** import invoices with their **original** dates, not today's. That keeps your aged receivables accurate and your reminders firing at the right time.`,
    feedback: [
      { by: 'hannah.lee', helpful: true },
      { by: 'marcus.chen', helpful: true },
      { by: 'nadia_r', helpful: true },
      {
        by: 'ian.mcd',
        helpful: false,
        reason: 'other',
        comment: 'Worked fine, but a note on importing supplier bills the same way would help.',
      },
    ],
    selfResolvedBy: ['marcus.chen', 'ian.mcd'],
  },
  {
    title: 'Invite your accountant or bookkeeper to Ledgerly',
    slug: 'invite-your-accountant',
    category: 'getting-started',
    tags: ['users', 'permissions', 'payroll'],
    stage: 'advocacy',
    author: 'mira',
    owner: 'mira',
    status: 'published',
    daysAgo: 150,
    publishedDaysAgo: 147,
    views: 1640,
    body: `Giving your accountant or bookkeeper their own login is one of the most useful things you can do in Ledgerly. They can run reports, post adjustments and answer their own questions, instead of waiting for you to email spreadsheets back and forth.

## Invite your accountant as an advisor

Advisor access is made for accountants and bookkeepers who work for you from outside the business.

1. Go to **Settings → Users → Invite advisor**.
2. Enter their email address. If their firm already uses Ledgerly, your organization appears in their practice list as soon as they accept.
3. Choose whether to include **payroll**. It's off by default.
4. Click **Send invite**. The invitation is valid for 14 days.

Advisors are **free** and **don't count towards your plan's user limit**. They can see and edit all accounting data, run every report, and set lock dates.

## Invite a bookkeeper with limited access

If someone helps with day-to-day work but shouldn't see everything, invite them as a regular user instead:

1. Go to **Settings → Users → Invite** and choose the **Standard** role.
2. Click **Customize access** under the role dropdown.
3. Set each area as needed. The Standard defaults are:

| Area | Standard default |
| --- | --- |
| Sales & invoices | Edit |
| Purchases & bills | Edit |
| Banking & reconciliation | Edit |
| Reports | View (excluding payroll reports) |
| Payroll | No access |
| Settings | No access |

With **Payroll** on *No access*, the Profit & Loss still shows a single **Wages & salaries** total, which they need to reconcile the bank, but not the amounts per employee.

> **Note:** payroll access always comes with the **Admin** role and can't be switched off for Admins. If pay must stay private, don't make your bookkeeper an Admin.

## Once they've accepted

- **Agree on lock dates.** After your accountant finishes a period, they can set **Settings → Financial settings → Lock dates** so nobody changes it by accident.
- **Point them at the audit trail.** **Settings → History & audit** shows who changed what and when.
- **Share the receipts inbox address** so they can forward any paperwork you send them.

### Removing access
When you change accountants, go to **Settings → Users**, open the person and click **Remove access**. Their past changes stay in the audit trail.`,
  },

  // ---------------------------------------------------------------- invoices-payments
  {
    title: 'Create and send your first invoice',
    slug: 'create-and-send-your-first-invoice',
    category: 'invoices-payments',
    tags: ['invoices', 'card-payments'],
    stage: 'first_success',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 182,
    publishedDaysAgo: 180,
    views: 5240,
    body: `Sending your first invoice takes a couple of minutes. This guide walks through creating it, adding a way to pay online, and what happens after it's sent.

## Before you start

You'll get a better-looking invoice if you've done these once:

- Added your logo, bank details and default payment terms under **Settings → Invoice templates**
- Turned on online card payments under **Settings → Payments**, if you want customers to pay by card
- Added your regular items under **Sales → Products & services**, so each line fills itself in

None of these are required. You can send an invoice without them and set them up later.

## Create the invoice

1. Go to **Sales → Invoices → New invoice**.
2. Start typing the **Customer** name. If they're new, choose **+ Add new contact** and enter at least their email.
3. Check the **Invoice date** and **Due date**. The due date comes from the customer's payment terms, or your default terms if they have none.
4. Add line items. For each line, pick a product or type a \`Description\`, then fill in \`Quantity\` and \`Unit price\`. The **Account** and **Tax rate** come from the product, and you can change them per line.
5. Add a **Reference**, such as the customer's purchase order number, if they need one.
6. Click **Preview** to see exactly what the customer will get.

### Numbering
Ledgerly numbers invoices automatically, starting at \`INV-0001\`. To continue from your old system's numbers, change the next number under **Settings → Invoice templates → Numbering** before you approve your first invoice.

## Send it

Click **Approve & email**. Ledgerly sends the invoice as a PDF attachment with a **View and pay** link. With card payments turned on, the customer can pay from that page, and the invoice is marked **Paid** automatically when the payment succeeds.

If you'd rather send it yourself, click **Approve** instead and use **⋯ → Download PDF** or **Copy link**.

> **Tip:** send your first invoice to yourself. Add yourself as a customer, approve and email it, then open the email on your phone. It's the quickest way to check your logo, bank details and wording.

## After it's sent

- The invoice shows **Awaiting payment** until it's paid, and **Overdue** once the due date passes.
- Open the invoice's **History** tab to see when the email was delivered and when the customer viewed it.
- If you record a payment that arrived by bank transfer, use **Record payment** on the invoice, or match the deposit when you reconcile your bank feed.
- Turn on **Settings → Invoice reminders** so late payers get a polite nudge without you having to remember.`,
  },
  {
    title: 'Refund a card payment, including a duplicate payment',
    slug: 'refund-a-card-payment',
    category: 'invoices-payments',
    tags: ['refunds', 'card-payments', 'ledgerly-payments'],
    stage: 'adoption',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 68,
    publishedDaysAgo: 67,
    views: 1870,
    promotedFrom: {
      threadTitle: 'A customer paid the same invoice twice by card. How do I refund the duplicate?',
      answerAuthor: 'sam.rivera',
    },
    body: `When a customer paid by card through Ledgerly Payments, you can send the money back to the same card straight from the invoice. This article covers full and partial refunds, and the most common case: a customer who paid the same invoice twice.

## Refund a payment

1. Open the invoice and go to its **Payments** tab.
2. On the payment you want to refund, click **⋯ → Refund**.
3. Choose **Full refund**, or **Partial refund** and enter the amount.
4. Pick a reason: *Duplicate*, *Requested by customer*, or *Other*.
5. Decide whether to tick **Keep as customer credit**:
   - **Unticked**: the money goes back to the customer's card.
   - **Ticked**: nothing goes back to the card; the amount stays on the customer's account as credit you can apply to a future invoice.
6. Click **Confirm refund**.

## When a customer paid twice

Duplicate payments usually come from a double tap on a slow connection. You'll see two successful payments under **Payments → Activity**, and the invoice shows a **negative balance**.

Refund the **second** payment as above, choosing the reason **Duplicate** and leaving **Keep as customer credit** unticked. The invoice balance goes back to 0.00 and it stays **Paid**.

> **Tip:** when the reason is *Duplicate*, the processing fee on the duplicate payment is returned to you as well. For other reasons, the original fee isn't refunded.

## What happens to the money

- The customer sees the refund on their card within **5–10 business days**, depending on their bank.
- Ledgerly posts the refund from your **Ledgerly Payments clearing** account. It's deducted from your **next payout**, not taken from your bank account.
- On the payout, the refund and any returned fee appear as separate lines, so reconciling it is straightforward.

If your next payout is smaller than the refund, the remainder is carried over to the following payout.

## Prevent duplicate payments

Turn on **Settings → Payments → Block repeat payments on paid invoices**. Once an invoice is fully paid, its payment link shows a "This invoice has been paid" page instead of the card form.

### Refunding a payment made outside Ledgerly
If the customer paid by bank transfer or through another processor, you'll need to send the money back yourself. Record it in Ledgerly with **⋯ → Record refund** on the overpayment so the invoice and your bank account both balance.`,
    feedback: [
      { by: 'jonas.berg', helpful: true },
      { by: 'grace.m', helpful: true },
      { by: 'rob.tanaka', helpful: true },
    ],
    selfResolvedBy: ['carlos.mendez'],
  },
  {
    title: 'Why is my invoice marked Overdue?',
    slug: 'why-is-my-invoice-overdue',
    category: 'invoices-payments',
    tags: ['invoices', 'partial-payments'],
    stage: 'adoption',
    author: 'sam.rivera',
    owner: 'mira',
    status: 'published',
    daysAgo: 160,
    publishedDaysAgo: 159,
    views: 2730,
    body: `Ledgerly marks an invoice **Overdue** automatically, the morning after its due date, if there's still money owing on it. This article explains how the status is decided and what you can do about it.

## How invoice statuses work

An approved invoice moves through these statuses:

- **Awaiting payment**: approved and not yet due.
- **Overdue**: the due date has passed and the balance is more than 0.00.
- **Paid**: the balance is 0.00.

Statuses are recalculated every night in your organization's time zone, so an invoice due today becomes Overdue tomorrow morning.

## Common reasons

### The payment hasn't been recorded
If the customer paid by bank transfer, the invoice stays Overdue until the payment is matched. Reconcile your bank feed under **Banking → Reconcile**, or use **Record payment** on the invoice.

### The due date is wrong
The due date comes from the customer's **Payment terms**. If those were wrong when you created the invoice, edit the invoice and change the **Due date**.

### Only part has been paid
Invoices with a part payment still show as Overdue while any balance remains. The amount due shown on the invoice is the remaining balance.

## Changing the status

You can't set the status by hand. To clear Overdue, either record the remaining payment or credit the balance with a **credit note**.`,
    feedback: [
      {
        by: 'grace.m',
        helpful: false,
        reason: 'did_not_solve',
        comment:
          "Our customer paid part and promised the rest on the 15th. This doesn't say how to stop them being chased in the meantime.",
      },
      {
        by: 'tom_walsh',
        helpful: false,
        reason: 'unclear',
        comment: 'Is there a Partially paid status or not? The article hints at it but never says.',
      },
      {
        by: 'priya.h',
        helpful: false,
        reason: 'unclear',
        comment: 'Do reminders still go out for partly paid invoices?',
      },
      { by: 'marcus.chen', helpful: true },
    ],
  },

  // ---------------------------------------------------------------- bank-connections
  {
    title: 'Connect your bank feed',
    slug: 'connect-your-bank-feed',
    category: 'bank-connections',
    tags: ['bank-feeds', 'setup'],
    stage: 'onboarding',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 176,
    publishedDaysAgo: 175,
    views: 4620,
    body: `A bank feed brings your bank and credit card transactions into Ledgerly automatically, usually several times a day. You then reconcile them instead of typing them in. Growth and Pro include unlimited bank feeds.

## Connect an account

1. Go to **Banking → Connect bank**.
2. Search for your bank by name. Make sure you pick the right variant, for example *business* rather than *personal* online banking.
3. You're taken to your bank's own website to sign in. Ledgerly never sees or stores your banking password.
4. On the bank's **consent screen**, tick every account you want to connect. Some banks leave all accounts unticked by default.
5. Back in Ledgerly, decide for each account:
   - **Create new account**: for an account that isn't in Ledgerly yet.
   - **Link to existing account**: if you already created it, for example during conversion balances. This avoids a duplicate.
6. Choose a **feed start date**. The default is 90 days back. If you've already entered transactions up to a certain date, start the feed the day after.

The first transactions usually arrive within 30 minutes.

## Renewing your consent

Banks make connections expire, usually every **90 days**. The bank sets the period, not Ledgerly. About a week before, you'll see a banner under **Banking → Bank feeds** and get an email asking you to renew. It takes a minute: click **Renew**, sign in to the bank and confirm.

If you miss it, the feed stops and shows **Reauthorization required (BF-401)**. See *Fix a bank feed that stopped updating (BF-401)*.

## If your bank isn't listed

Smaller banks and credit unions sometimes don't offer a feed. You can:

- Import statements regularly under **Banking → (account) → Import statement**. Use **OFX** or **QFX** where your bank offers them: each transaction carries an ID, so overlapping imports don't create duplicates.
- Ask for a feed under **Banking → Connect bank → Can't find your bank?**. Requests with more votes are prioritised.

> **Tip:** connect your business **credit cards** too. Card spending is where most receipts go missing, and a feed makes the gaps obvious.

## Who can connect feeds

Only **Admins** and users with **Banking & reconciliation: Edit** access can connect or renew feeds. Advisors can reconcile but not connect a bank on your behalf, because the bank consent has to come from someone who can sign in to your online banking.`,
  },
  {
    title: 'Fix a bank feed that stopped updating (BF-401)',
    slug: 'fix-bank-feed-bf-401',
    category: 'bank-connections',
    tags: ['bank-feeds', 'errors', 'reconnect'],
    stage: 'adoption',
    author: 'mira',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 77,
    publishedDaysAgo: 76,
    views: 5810,
    promotedFrom: {
      threadTitle: 'Bank feed stopped updating: "Reauthorization required (BF-401)"',
      answerAuthor: 'sam.rivera',
    },
    body: `If a bank feed hasn't brought in new transactions for a few days and **Banking → Bank feeds** shows a yellow banner reading **Reauthorization required (BF-401)**, your bank has stopped accepting the consent Ledgerly holds for that account. This is the most common reason a feed stops, and you can fix it yourself in a few minutes.

## Why it happens

Banks make feed connections expire regularly, usually every 90 days. The bank decides the period. When the consent expires or is withdrawn, the bank refuses our requests and the feed stops with BF-401.

Sometimes **Reconnect** appears to work but the banner comes straight back. That usually means the bank gave us a valid consent that covers **no accounts**, because the accounts were unticked on the bank's consent screen.

## Fix it

1. Open a **private or incognito window** and sign in to Ledgerly. This rules out stale cookies from an earlier bank session.
2. Go to **Banking → Bank feeds**.
3. On the affected feed, click **⋯ → Manage connection → Disconnect**. This removes only the connection: your transactions and reconciliations stay where they are.
4. Click **Connect bank**, search for your bank and sign in again.
5. On the bank's consent screen, check that the account is **ticked**. Some banks untick everything on renewal.
6. Back in Ledgerly, choose **Link to existing account** and pick the account you already have. Don't choose *Create new account*.

Ledgerly backfills the missing days automatically, usually within 30 minutes.

> **Tip:** if you chose *Create new account* by mistake, you'll have two bank accounts holding the same transactions. **Archive the new one straight away**, before you reconcile anything in it.

## If it still doesn't work

- **Duplicates after reconnecting**: use **Banking → (account) → ⋯ → Find duplicate statement lines**. It always suggests removing the unreconciled copy, so reconciled lines are safe.
- **The bank's login page loops**: some banks require you to approve third-party access in their own app or online banking first. Look for a setting such as *Connected apps* or *Third-party access*.
- **Still BF-401 after 24 hours**: contact support from **Help → Contact us** with the account name and the time you last reconnected. We can see the response your bank sent.

## Avoid it next time

About a week before consent expires, Ledgerly shows a **Renew** banner and emails the person who connected the feed. Renewing early keeps the feed running without a gap. If that person has left, whoever reconnects becomes the new contact for renewal emails.`,
    feedback: [
      { by: 'lena.k', helpful: true },
      { by: 'tom_walsh', helpful: true },
      { by: 'ian.mcd', helpful: true },
      { by: 'felix.w', helpful: true },
      {
        by: 'rob.tanaka',
        helpful: false,
        reason: 'did_not_solve',
        comment:
          "My bank never shows a consent screen, it just goes back to its login page. Turned out I had to allow third-party access in the bank's app first.",
      },
    ],
    selfResolvedBy: ['tom_walsh', 'ian.mcd', 'felix.w'],
  },
  {
    title: 'Reconcile your bank account for the first time',
    slug: 'reconcile-your-bank-account',
    category: 'bank-connections',
    tags: ['reconciliation', 'bank-feeds', 'bank-rules'],
    stage: 'first_success',
    author: 'sam.rivera',
    owner: 'mira',
    status: 'published',
    daysAgo: 172,
    publishedDaysAgo: 170,
    views: 3950,
    body: `Reconciling means confirming that every transaction on your bank statement is recorded in Ledgerly, once, in the right account. It's what makes your reports trustworthy. The first time takes longest; after that, most businesses need 10 to 20 minutes a week.

## Open the reconcile screen

Go to **Banking → Reconcile** and pick the account. On the left are **statement lines** from your bank feed or import. On the right, Ledgerly shows what it thinks each line is.

## Work through each line

For every statement line, you'll do one of four things:

1. **Match**: Ledgerly found an invoice, bill or payment with the same amount and a similar date. Check it's the right one and click **OK**.
2. **Create**: nothing exists yet, for example a bank fee or a card purchase. Choose a **Contact**, an **Account** such as \`Bank Fees\`, and a tax rate, then click **OK**.
3. **Transfer**: money moved between two of your own accounts, such as checking to savings. Pick the other account. Ledgerly records both sides.
4. **Find & match**: one deposit covers several invoices, or the amount differs slightly. Search, tick everything that belongs together, and add an adjustment for any small difference such as a bank charge.

### Lines from before your conversion date
If you entered uncleared checks or deposits as part of your opening balances, they'll appear as suggestions. Match them like any other line.

## Check the balance

At the top of the screen, compare **Statement balance** with **Balance in Ledgerly**. When every line up to a date is reconciled, the two figures should agree for that date. If they don't:

- Look for a line you created twice, or one reconciled to the wrong bank account.
- Check **Statement lines → Removed** for anything removed by mistake.
- Run **Reports → Bank reconciliation** to list unreconciled items on both sides.

## Make next time faster

- Create a **bank rule** from any line you code the same way every month. Click **Create rule** on the line, or go to **Banking → Bank rules**. Rules are applied top to bottom and the first match wins.
- Forward receipts to your receipts inbox as you go, so card purchases match a draft bill instead of needing to be created.

> **Tip:** reconcile little and often. A weekly session keeps the matches obvious; leave it for a quarter and you'll be trying to remember what a $47.80 card payment was.`,
    selfResolvedBy: ['marcus.chen', 'priya.h'],
  },
  {
    title: 'Reconcile Stripe payouts with a clearing account',
    slug: 'reconcile-stripe-payouts-clearing-account',
    category: 'bank-connections',
    tags: ['stripe', 'clearing-account', 'reconciliation', 'fees'],
    stage: 'adoption',
    author: 'mira',
    owner: 'ada',
    status: 'published',
    daysAgo: 95,
    publishedDaysAgo: 94,
    views: 3340,
    promotedFrom: {
      threadTitle: 'How do I reconcile Stripe payouts that bundle dozens of orders minus fees?',
      answerAuthor: 'aisha.b',
    },
    body: `Payment processors such as Stripe don't pay you order by order. They send one lump sum every day or two, covering many orders, minus fees, minus any refunds. That single deposit never matches the invoices it pays, so trying to reconcile it directly is frustrating. The fix is a **clearing account**.

## How a clearing account works

Treat Stripe as a small bank account that sits between your customers and your real bank:

- Customer payments go **into** the clearing account.
- Fees and refunds come **out** of it.
- Each payout is a **transfer** from the clearing account to your bank.

At any moment, the clearing account's balance in Ledgerly should equal your Stripe balance (available plus pending).

## Set it up once

1. Go to **Banking → Add account → Clearing account** and name it \`Stripe Clearing\`.
2. Record invoice payments **into Stripe Clearing**, not into your checking account.
3. If you use **Apps → Stripe**, set its **deposit account** to \`Stripe Clearing\`. The app then records payments, fees and refunds there for you.

## Reconcile each payout

When the payout arrives in your checking feed, don't match it to invoices. Code it as a **Transfer from Stripe Clearing**.

Fees go from Stripe Clearing to your \`Merchant Fees\` expense account, and refunds are recorded as refunds from Stripe Clearing. With the Stripe app connected, both are posted per payout. Here is how a typical payout breaks down:

| Payout breakdown | Amount |
| --- | ---: |
| Orders paid | 2,415.00 |
| Stripe fees | -79.35 |
| Refund | -38.00 |
| **Paid out to bank** | **2,297.65** |

### Many small orders?
At high volume, set the Stripe app to post **one summary entry per payout** (sales, fees and refunds) instead of one invoice per order. Your contact list won't fill up with one-off customers.

## When the balances don't match

If the Stripe Clearing balance differs from your Stripe balance, the cause is nearly always:

- A **refund** or **partial refund** that wasn't posted
- A **dispute** (chargeback) and its fee
- A payout that was reconciled as income instead of as a transfer

Run **Reports → Account transactions** for \`Stripe Clearing\` and compare it with Stripe's balance history for the same dates.

> **Tip:** the same approach works for PayPal, Square and your Ledgerly Payments payouts. Use one clearing account per processor.`,
    feedback: [
      { by: 'rob.tanaka', helpful: true },
      { by: 'ben.okoro', helpful: true },
      { by: 'hannah.lee', helpful: true },
    ],
    selfResolvedBy: ['ben.okoro', 'hannah.lee'],
  },
  {
    title: 'Connect a bank with the old Classic bank-feed connector',
    slug: 'classic-bank-feed-connector',
    category: 'bank-connections',
    tags: ['bank-feeds'],
    stage: 'onboarding',
    author: 'ada',
    owner: 'sam.rivera',
    status: 'archived',
    daysAgo: 200,
    publishedDaysAgo: 199,
    views: 0,
    body: `> **Archived.** This article describes the old **Classic** bank-feed connector, which has been retired. All feeds now use direct, consent-based bank connections. For current instructions, see *Connect your bank feed*. If a feed still shows *Classic* under **Banking → Bank feeds**, disconnect it and connect the bank again.

The Classic connector signed in to your online banking on your behalf, using a username and password you stored in Ledgerly, and copied transactions once a day.

## Setting up a Classic feed

1. Go to **Banking → Bank feeds → Add Classic feed**.
2. Choose your bank from the list.
3. Enter your online banking **username** and **password**. If your bank used a security question, enter the answer too.
4. Pick the Ledgerly account the transactions should go to.
5. Click **Save**. The first import could take up to 24 hours.

## Known limitations

- **One update per day.** Transactions arrived overnight, so a payment made this morning appeared tomorrow.
- **Password changes broke the feed.** Whenever you changed your online banking password, you had to update it under **Banking → Bank feeds → Edit credentials**.
- **Two-factor authentication.** Banks that sent a one-time code at every sign-in couldn't be used with Classic feeds at all.
- **Descriptions were shortened** to 32 characters, which made bank rules less reliable.

## Why it was retired

Storing banking passwords is no longer accepted by most banks, and many now block automated sign-ins. Direct connections use a consent you give on the bank's own website, never share your password with Ledgerly, update several times a day, and work with two-factor authentication. The trade-off is that the bank asks you to renew consent periodically, usually every 90 days.`,
  },

  // ---------------------------------------------------------------- payroll
  {
    title: 'Run your first payroll',
    slug: 'run-your-first-payroll',
    category: 'payroll',
    tags: ['payroll', 'direct-deposit'],
    stage: 'first_success',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 168,
    publishedDaysAgo: 165,
    views: 2480,
    body: `Once the payroll add-on is set up, a normal pay run takes a few minutes. The first one takes a little longer because Ledgerly checks your setup before any money moves. Work through this guide at least **four banking days** before your first payday.

## Before your first pay run

The **Payroll → Setup** checklist must be complete. In particular:

1. **Company tax details**: your federal EIN and your state withholding and unemployment account numbers.
2. **Funding account**: the bank account pay is drawn from. Ledgerly sends two small test deposits to verify it, which takes 1–2 business days.
3. **Pay schedule**: **Payroll → Settings → Pay schedules**. Set the frequency (weekly, biweekly, semimonthly or monthly), the first pay date, and the end of the first pay period.
4. **Employees**: **Payroll → Employees → Add employee**. Ledgerly emails each employee an invite to the employee portal, where they enter their W-4 details and bank account for direct deposit.
5. **Prior payroll**: if you've already paid people this year through another provider, enter their history first. See *Enter year-to-date payroll from your previous provider*.

## Run the payroll

1. Go to **Payroll → Pay runs → Run payroll** and choose the pay schedule.
2. Check the **pay period** and **pay date**.
3. For hourly employees, enter hours or click **Import timesheets**. Salaried employees are filled in automatically.
4. Add any **Additional pay** such as a bonus or commission, and any one-off deductions.
5. Click **Review**. Ledgerly shows gross pay, taxes, deductions and net pay for each person, plus the total that will be drawn from your funding account.
6. Click **Submit payroll**.

> **Tip:** for direct deposit, submit by **5 pm Eastern two banking days before payday**. After that cut-off, Ledgerly offers to move the pay date or pay by check.

## After you submit

- Employees can see their pay stubs in the employee portal on payday.
- Ledgerly pays and files federal and state payroll taxes for you, and records everything in your books: wages, employer taxes and liabilities post automatically to the matching accounts.
- The debit from your funding account appears in your bank feed as one line per pay run. Match it to the **payroll payment** Ledgerly created.

## If something goes wrong

- **Made a mistake after submitting?** Until the cut-off, go to **Payroll → Pay runs**, open the run and click **Cancel pay run**, then run it again.
- **A direct deposit failed?** The returned money comes back to your funding account automatically. Pay the employee another way from **Pay runs → (run) → Failed payments**.`,
  },
  {
    title: 'Enter year-to-date payroll from your previous provider',
    slug: 'enter-prior-payroll-history',
    category: 'payroll',
    tags: ['payroll', 'ytd', 'migration'],
    stage: 'onboarding',
    author: 'mira',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 109,
    publishedDaysAgo: 107,
    views: 1560,
    promotedFrom: {
      threadTitle:
        'First payroll in Ledgerly: where do I enter year-to-date figures from our old provider?',
      answerAuthor: 'sam.rivera',
    },
    body: `If you move to Ledgerly Payroll partway through the year, Ledgerly needs to know what you've already paid. Without it, year-end W-2s would be wrong, your quarterly filings would only include part of the quarter, and wage-based limits such as the Social Security wage base would be calculated from zero.

You **don't** need to enter every past paycheck. This guide explains what's needed and where it goes.

## What Ledgerly needs

- **Quarterly totals** for each quarter of this year that's already complete.
- **Totals for each pay date** in the current quarter before your first Ledgerly pay run. This makes the quarter-to-date figures on your next Form 941 correct.

For each employee and each period, you'll need:

- Gross wages
- Federal income tax withheld
- Employee and employer Social Security
- Employee and employer Medicare
- State income tax withheld
- Pre-tax deductions, such as 401(k) contributions and health premiums

The best source is your old provider's **payroll register** report, run for each period.

## Enter the history

1. Go to **Payroll → Settings → Prior payroll → Add history**.
2. Choose how to enter it:
   - **Type it in** per employee, which is fine for a handful of people.
   - **Download the CSV template**, fill it from the payroll register, and upload it.
3. Save, then open **Payroll → Reports → Prior payroll reconciliation**.
4. Compare each quarter with the Form 941 your old provider filed. Every quarter should show a **green tick** before you run your first payroll.

## When the figures are a few cents out

Your old provider's register and their filed 941 sometimes differ by a few dollars because of rounding. Enter the figures **exactly as filed**. On your first pay run, Ledgerly calculates a small true-up for employer Medicare or Social Security, shown as a line called *Prior period rounding*.

> **Tip:** if you haven't switched yet, switch at the **start of a calendar quarter**. Then you only need quarterly totals, and nothing per pay date.

### Employees who have already left
Include anyone you paid this year, even if they've left. Add them under **Payroll → Employees**, enter their history, then set a **termination date** so they don't appear in future pay runs. They still receive a W-2 at year end.`,
    feedback: [
      { by: 'tom_walsh', helpful: true },
      { by: 'grace.m', helpful: true },
      {
        by: 'carlos.mendez',
        helpful: false,
        reason: 'unclear',
        comment:
          'My old provider has three different register reports. Which one do I use for the per pay date totals?',
      },
    ],
  },
  {
    title: "What to do when an employee's direct deposit fails",
    slug: 'direct-deposit-failed',
    category: 'payroll',
    tags: ['payroll', 'direct-deposit', 'ach'],
    stage: 'adoption',
    author: 'ada',
    owner: 'sam.rivera',
    status: 'in_review',
    daysAgo: 18,
    views: 0,
    body: `Occasionally the employee's bank rejects a direct deposit and sends it back. Ledgerly shows the pay stub as **Payment failed**, with an ACH return code explaining why. This article explains what the codes mean, what happens to the money, and how to get your employee paid quickly.

## Common return codes

| Code | Meaning | Usual cause |
| --- | --- | --- |
| \`R02\` | Account closed | The employee changed banks and closed the old account |
| \`R03\` | No account / unable to locate account | A typo in the account number, or the old routing number kept with a new account number |
| \`R04\` | Invalid account number | The account number has the wrong format for that bank |

## What happens to the money

You don't need to claim anything. The returned funds come back to your **payroll funding account** automatically, usually **2–4 business days** after the return. They appear under **Payroll → Payments → Returns**.

## Pay the employee now

1. Go to **Payroll → Pay runs → (the pay run) → Failed payments**.
2. Click **Reissue** and choose:
   - **Pay by check**, to print a check from Ledgerly, or
   - **Manual payment**, if you'll send the money from your own bank.
3. Confirm. This doesn't recalculate any taxes; it only changes how the net pay is delivered.

When the returned funds arrive, Ledgerly matches them to the reissued payment automatically, so there's nothing to reconcile by hand.

## Fix the bank details

Ask the employee to check **both** the routing number and the account number in the employee portal. A voided check or a letter from their bank is the safest source. The next pay run uses the corrected details.

> **Tip:** turn on **Payroll → Settings → Require admin approval for bank detail changes**. Changes employees make in the portal then wait for an admin to approve them before the next pay run, which catches most typos.`,
  },
  {
    title: 'Pay overtime correctly when a work week spans two pay periods',
    slug: 'overtime-across-pay-periods',
    category: 'payroll',
    tags: ['payroll', 'overtime', 'hourly'],
    stage: 'adoption',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'draft',
    daysAgo: 6,
    views: 0,
    body: `Overtime is based on hours worked in a **work week**, not in a pay period. If your pay periods don't line up with your work week, for example a biweekly period ending on Friday with a Sunday-to-Saturday work week, an employee can work more than 40 hours in a week that falls across two periods. Ledgerly handles this once you tell it which work week you use.

## Set your overtime work week

1. Go to **Payroll → Settings → Pay schedules** and open the schedule, for example *Biweekly*.
2. Find **Overtime work week**. The default is *Same as pay period*.
3. Choose the work week your business uses, such as *Sunday–Saturday*.
4. Click **Save**.

If you have more than one pay schedule, set it on each one.

## How Ledgerly calculates it

With a work week set, Ledgerly looks at **every day of each work week**, including days that belong to the previous pay period. Hours above 40 in that week are paid as overtime in the pay run that contains the **last day** of the work week.

For example, if an employee works 46 hours in a week that started in the previous pay period, the current pay run shows:

\`\`\`text
Overtime (1.5×)   6.00 h   Week of Sun 9 Jun – Sat 15 Jun
\`\`\`

The note points back to the work week the hours belong to, so the pay stub is easy to explain.

## Fix a pay run that's already open

After changing the setting, open the current pay run and click **Recalculate timesheets**. Any overtime missed under the old setting is added.

### Paying it in the earlier period instead
If you'd rather pay overtime in the period where most of the hours fell, add it by hand as **Additional pay** on that run. Then remove the same hours from the next run, or the employee is paid twice.

## Things to check

- State rules can be stricter than the 40-hour federal rule; some states also require **daily** overtime. Set these under **Payroll → Settings → Overtime rules**.
- Salaried non-exempt employees need their hours entered for overtime to be calculated.`,
  },

  // ---------------------------------------------------------------- taxes-reports
  {
    title: 'Set up sales tax for taxable and exempt products',
    slug: 'sales-tax-taxable-and-exempt-products',
    category: 'taxes-reports',
    tags: ['sales-tax', 'tax-rates', 'products'],
    stage: 'onboarding',
    author: 'mira',
    owner: 'ada',
    status: 'published',
    daysAgo: 99,
    publishedDaysAgo: 97,
    views: 2140,
    promotedFrom: {
      threadTitle:
        "Bakery sales tax: some items are taxable and some aren't. How do I set this up?",
      answerAuthor: 'aisha.b',
    },
    body: `Many businesses sell a mix of taxable and exempt items: prepared food and groceries, labor and parts, digital and physical goods. Rather than choosing the tax on every invoice line, set the tax treatment on each **product** once. Invoices then pick it up automatically.

## 1. Create your tax rates

Go to **Settings → Tax rates**. Most businesses need at least two:

- A taxable rate, such as \`Sales tax 7.25%\`, set to your combined state and local rate
- An exempt rate, such as \`Exempt - food for home consumption\`, at 0%

> **Use an exempt rate, not "No tax".** Sales coded to an exempt rate appear on the **exempt sales** line of your sales tax report, and most state returns ask for that figure. Sales with *No tax* don't appear at all.

If you sell in several places with different local rates, create one rate per location.

## 2. Set the rate on each product

1. Go to **Sales → Products & services**.
2. Edit each item and set its **Sales tax rate**.
3. Save.

### Many products? Update them in bulk
1. Click **Products & services → Export**.
2. In the spreadsheet, fill in the \`SalesTaxRate\` column using the rate names exactly as they appear in Ledgerly.
3. Click **Import** and tick **Update existing items**.

## 3. Create invoices as usual

Each line takes its tax rate from the product. You can still override a single line when you need to. The invoice shows taxable and exempt amounts separately, and the total tax at the bottom.

## When the same item can be taxed differently

Sometimes the treatment depends on **how** something is sold. A sandwich might be exempt when sold cold to take away but taxable when heated. Create two products, for example \`Sandwich - cold, to go\` and \`Sandwich - heated\`, each with its own rate. It adds a line to your product list, but it leaves a clear record of why each sale was taxed the way it was.

## Check your setup

Run **Reports → Sales tax** for last month. Check that:

- Taxable sales and exempt sales are both populated
- Nothing appears under **Sales with no tax rate**

Tax rules for food, services and digital goods vary a lot from state to state. Confirm your treatment with your state's department of revenue or your accountant.`,
    feedback: [
      { by: 'jonas.berg', helpful: true },
      { by: 'lena.k', helpful: true },
      { by: 'marcus.chen', helpful: true },
    ],
    selfResolvedBy: ['nadia_r', 'ian.mcd'],
  },
  {
    title: 'Close your books each month: a month-end checklist',
    slug: 'month-end-checklist',
    category: 'taxes-reports',
    tags: ['reconciliation', 'lock-dates', 'reports'],
    stage: 'adoption',
    author: 'ada',
    owner: 'mira',
    status: 'published',
    daysAgo: 130,
    publishedDaysAgo: 126,
    views: 2060,
    body: `A short routine at the end of each month keeps your books accurate and makes year end almost painless. Most small businesses get through this list in under an hour once it's a habit. Do it in the first week of the following month, once the last transactions have arrived in your bank feeds.

## 1. Get every transaction in

1. **Reconcile every bank and credit card account** up to the last day of the month under **Banking → Reconcile**. Check that **Statement balance** matches **Balance in Ledgerly**.
2. **Clear the receipts inbox** under **Purchases → Receipts inbox**. Approve or delete each draft bill.
3. **Check your clearing accounts**. If you use Stripe, PayPal or Ledgerly Payments, the clearing account balance should equal the processor's balance on the last day of the month.
4. **Import any accounts without a feed**, such as a credit union savings account, from a statement file.

## 2. Review what you're owed and what you owe

- Run **Reports → Aged receivables**. Chase anything over 30 days that reminders haven't shifted, and write off anything you won't collect with a credit note.
- Run **Reports → Aged payables**. Check for bills already paid that are still showing as unpaid; they usually need matching to a bank payment.

## 3. Check the numbers make sense

Run **Reports → Profit & Loss** and **Reports → Balance sheet** for the month, with the previous month alongside.

- Big swings in an expense line are often a transaction coded to the wrong account. Click the figure to drill down.
- Check **Uncategorised** and **Suspense** are both at zero.
- If you use tracking categories, run the **Tracking summary** too.

### Payroll and sales tax
- Check that **Payroll liabilities** on the Balance sheet match what's due for the month.
- If a sales tax return is due, run **Reports → Sales tax** for the period and file it.

## 4. Lock the month

Go to **Settings → Financial settings → Lock dates** and move **Lock for non-admins** to the last day of the month. Standard users can no longer change anything in that period.

> **Tip:** leave **Lock for everyone** until your accountant has finished the year. Moving either lock date is recorded under **Settings → History & audit**.

## 5. Share the results

Send the month's reports to your partners or accountant, or let them run the reports themselves with their own login. See *Share reports with business partners, investors or your lender*.`,
    feedback: [
      { by: 'lena.k', helpful: true },
      { by: 'priya.h', helpful: true },
      { by: 'sofia.g', helpful: true },
    ],
  },
  {
    title: 'Share reports with business partners, investors or your lender',
    slug: 'share-reports',
    category: 'taxes-reports',
    tags: ['reports', 'export'],
    stage: 'advocacy',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 140,
    publishedDaysAgo: 139,
    views: 980,
    body: `There are a few ways to get your reports to the people who need them: send a one-off copy, set up a report pack that goes out every month, or give them access to Ledgerly.

## Send a one-off report

1. Open the report, for example **Reports → Profit & Loss**, and set the dates.
2. Click **Export** and choose **PDF**, **Excel** or **Full export (CSV)**.
3. Attach the file to an email.

Excel exports stop at 1,000 rows. For longer reports such as the General ledger, use **Full export (CSV)**; you'll get an email with a download link.

## Send reports every month

1. Go to **Reports → Report packs → New pack**.
2. Add the reports you want.
3. Under **Schedule**, add the recipients and choose a day of the month.

## Give someone access

For people who want to look at the numbers themselves, invite them under **Settings → Users → Invite** with the **Read only** role. Accountants should be invited as advisors instead.

> **Tip:** lock the month before you share it, so the figures don't change after they've been sent.`,
    feedback: [
      {
        by: 'felix.w',
        helpful: false,
        reason: 'unclear',
        comment:
          'Does a Read only user count towards our 3-user limit on Growth? That is the whole question for us.',
      },
      {
        by: 'jonas.berg',
        helpful: false,
        reason: 'unclear',
        comment: "Report pack step 2 doesn't say whether you can set different dates per report.",
      },
      {
        by: 'priya.h',
        helpful: false,
        reason: 'did_not_solve',
        comment:
          'Our lender wants a comparison with the same month last year. Nothing here on that.',
      },
      { by: 'aisha.b', helpful: true },
    ],
  },

  // ---------------------------------------------------------------- account-billing
  {
    title: 'Compare Ledgerly plans: Starter, Growth and Pro',
    slug: 'compare-plans',
    category: 'account-billing',
    tags: ['plans', 'pricing', 'payroll'],
    stage: 'evaluating',
    author: 'ada',
    owner: 'ada',
    status: 'published',
    daysAgo: 120,
    publishedDaysAgo: 118,
    views: 4870,
    body: `Ledgerly has three plans. They all include the core bookkeeping: invoicing, bank feeds and reconciliation, bills, sales tax and reports. The differences are in how many people can use it, how many accounts and currencies you work with, and whether you need project costing. Payroll is an add-on available on every plan.

## Plans at a glance

| | Starter | Growth | Pro |
| --- | --- | --- | --- |
| Monthly price | $15 | $35 | $70 |
| Users | 1 | 3 | Unlimited |
| Advisors (your accountant) | Free | Free | Free |
| Bank feeds | 2 | Unlimited | Unlimited |
| Multi-currency | — | ✓ | ✓ |
| Tracking categories | — | 2 | Unlimited |
| Projects & timesheets | — | — | ✓ |
| Bill Pay (ACH) | $1 per payment | Free | Free |
| Payroll add-on | $20/mo + $6 per employee | $20/mo + $6 per employee | $20/mo + $6 per employee |

Paying annually gives you two months free, for example $350 a year for Growth instead of $420.

## Which plan fits?

### Starter
For sole traders and very small businesses with one person doing the books and one or two bank accounts. Your accountant can still have their own advisor login at no cost.

### Growth
The most popular plan. Choose it if:
- Two or three people need their own logins
- You invoice or get paid in more than one currency
- You want profit by location, channel or department, using tracking categories

### Pro
Choose Pro if:
- More than three people need access
- You want profit per **project** including the cost of your team's time, using timesheets with cost rates
- You take deposits on projects and want them applied automatically to later invoices

## Working out your monthly cost

Add the plan price, the payroll add-on if you need it, and $6 for each employee you pay that month. For example, Growth with payroll for 3 people is $35 + $20 + (3 × $6) = **$73 a month**. Card processing fees for payments you take through Ledgerly Payments are charged separately, per payment.

> **Tip:** you can change plan at any time from **Settings → Billing → Change plan**. Upgrades take effect immediately and are prorated; downgrades take effect at your next renewal.`,
    feedback: [
      { by: 'hannah.lee', helpful: true },
      { by: 'carlos.mendez', helpful: true },
      { by: 'marcus.chen', helpful: true },
      {
        by: 'ian.mcd',
        helpful: false,
        reason: 'other',
        comment: 'Prices are only shown in US dollars. A line on what UK customers pay would help.',
      },
    ],
  },
  {
    title: 'Choose a plan and switch between monthly and annual billing',
    slug: 'choose-a-plan-monthly-or-annual',
    category: 'account-billing',
    tags: ['billing', 'annual-plan', 'upgrade', 'proration'],
    stage: 'purchasing',
    author: 'ada',
    owner: 'sam.rivera',
    status: 'published',
    daysAgo: 46,
    publishedDaysAgo: 44,
    views: 1120,
    body: `You can choose a plan at any point during your free trial, and change it later whenever your needs change. This article covers choosing a plan, paying annually, and how upgrades and downgrades are charged.

## Choose your plan

1. Go to **Settings → Billing → Change plan**. Only the organization's **Owner** can do this.
2. Use the **Monthly / Annual** toggle above the plan cards to pick how you'd like to pay.
3. Choose **Starter**, **Growth** or **Pro**, and add **Payroll** if you need it.
4. Enter a payment card and confirm.

If you're still in your trial, the first charge is taken on the day the trial would have ended, so choosing early costs nothing.

## Monthly or annual?

- **Annual** billing gives you two months free: Starter is $150 a year, Growth $350 and Pro $700.
- The **payroll add-on is always billed monthly**, even on an annual plan, because it depends on how many people you pay each month.

### Switching between them
- **Monthly to annual**: takes effect straight away. We credit the unused part of your current month against the annual price.
- **Annual to monthly**: takes effect at your **next annual renewal**. Annual plans aren't refunded for unused months, so you keep your current plan until then.

## Upgrades and downgrades

### Upgrading
Upgrades take effect immediately. You're charged the **prorated difference** for the rest of the current billing period, as a separate charge on the day you upgrade.

For example, moving from Growth to Pro with 24 days left in a 30-day cycle costs ($70 − $35) × 24 ⁄ 30 = **$28.00** that day. Your next regular charge is the full Pro price on your usual billing date.

> **Tip:** the upgrade charge appears on its own invoice, labelled *Prorated upgrade*. Download it from **Settings → Billing → Invoices** if your accountant asks about it.

### Downgrading
Downgrades take effect at the **end of your billing period**. Before you downgrade, check you're within the lower plan's limits: the number of users, bank feeds and tracking categories. Ledgerly lists anything you need to change first.

## Your invoices from Ledgerly

Every charge has an invoice under **Settings → Billing → Invoices**. To add your tax ID, a purchase order number or a different billing email, edit **Settings → Billing → Billing details**; changes apply to future invoices.`,
  },
  {
    title: 'Refer a business or join the Ledgerly Partner Program',
    slug: 'referrals-and-partner-program',
    category: 'account-billing',
    tags: ['referrals', 'partners', 'billing'],
    stage: 'advocacy',
    author: 'ada',
    owner: 'ada',
    status: 'published',
    daysAgo: 135,
    publishedDaysAgo: 128,
    views: 760,
    body: `If Ledgerly has made your bookkeeping easier, you can pass it on. Businesses earn free months by referring other businesses, and accountants and bookkeepers can join the Partner Program to manage their clients in one place.

## Refer another business

1. Go to **Settings → Refer a business**.
2. Copy your personal link, or enter the other business's email address and we'll send the invite for you.
3. They get **50% off their first three months** on any plan.
4. When they've paid for their first month, you get **one month free** on your current plan, added as a credit on your next invoice.

There's no limit on the number of businesses you can refer. Credits apply to your plan price only, not to the payroll add-on or card processing fees. The **Referrals** tab on the same page shows who has signed up and which credits are pending.

> **Tip:** referral links work during the other business's free trial too. They can try Ledgerly first and the discount applies when they choose a plan.

## The Partner Program for accountants and bookkeepers

If you look after the books for several businesses, the Partner Program gives you:

- A **practice dashboard** listing every client organization you're an advisor on, with reconciliation status and overdue tasks
- A **free Pro organization** for your own practice
- A listing in the **Find an advisor** directory, once you reach the Silver tier
- Priority support for partner staff

### Partner tiers

| Tier | Client organizations | Extras |
| --- | --- | --- |
| Registered | 1+ | Practice dashboard, free Pro organization |
| Silver | 10+ | Directory listing, priority support |
| Gold | 25+ | Named partner manager, early access to new features |

A client counts towards your tier when you're an advisor on their organization and it's on a paid plan.

### How to join
1. Sign in with the account you use as an advisor for your clients.
2. Go to **Practice → Partner Program → Apply**.
3. Enter your firm's details and professional membership number, if you have one.

Applications are usually reviewed within two business days.

## Invite your clients

From the practice dashboard, **Add client** creates an organization for a new client and sends them an invitation to become its Owner. You stay on as an advisor, and the client pays for their own plan unless you choose **Bill to my practice**.`,
  },
  {
    title: 'Essentials and Plus plans: features and prices (legacy plans)',
    slug: 'legacy-essentials-and-plus-plans',
    category: 'account-billing',
    tags: ['plans', 'pricing'],
    stage: 'evaluating',
    author: 'ada',
    owner: 'ada',
    status: 'archived',
    daysAgo: 198,
    publishedDaysAgo: 197,
    views: 0,
    body: `> **Archived.** This page describes the old **Essentials** and **Plus** plans, which are no longer sold and have been replaced by Starter, Growth and Pro. For current plans and prices, see *Compare Ledgerly plans: Starter, Growth and Pro*. Organizations still on a legacy plan can keep it, or switch at any time from **Settings → Billing → Change plan**.

Ledgerly used to offer two plans, each with payroll included for a fixed number of employees.

## Essentials

- **$25 a month**
- 2 users
- 1 bank feed
- Invoicing, bills and bank reconciliation
- Payroll for up to **2 employees** included; $8 per extra employee

## Plus

- **$55 a month**
- 5 users
- Unlimited bank feeds
- Multi-currency
- One tracking category
- Payroll for up to **5 employees** included; $8 per extra employee

## What changed

- Payroll became a separate add-on ($20 a month plus $6 per employee), so businesses without employees no longer pay for it.
- **Growth** replaced Plus with unlimited bank feeds, 2 tracking categories and 3 users.
- **Pro** added Projects & timesheets and unlimited users.
- **Starter** became the entry-level plan for a single user.

## Moving from a legacy plan

Your data and settings stay exactly as they are when you change plan. If you're on **Plus** with more than three users, choose **Pro**, or remove users before moving to Growth. Once you leave a legacy plan you can't switch back to it.`,
  },

  // ---------------------------------------------------------------- integrations-api
  {
    title: 'Get started with the Ledgerly API: keys, sandbox and your first request',
    slug: 'api-quickstart',
    category: 'integrations-api',
    tags: ['api', 'invoices'],
    stage: 'onboarding',
    author: 'ada',
    owner: 'ada',
    status: 'published',
    daysAgo: 145,
    publishedDaysAgo: 142,
    views: 1390,
    body: `The Ledgerly API lets your own code create invoices, read bank transactions, manage contacts and more. It's a JSON REST API at \`https://api.ledgerly.example/v2\`, available on every plan. This guide takes you from nothing to your first invoice created through the API.

## 1. Create a sandbox organization

Build against a sandbox, not your real books. Go to **Apps & API → Sandbox → Create sandbox organization**. It comes with sample customers, accounts and tax rates, and nothing in it is ever emailed to real customers or charged to a card.

## 2. Create an API key

1. In the sandbox, go to **Apps & API → API keys → Create key**.
2. Give it a name, such as \`booking-sync\`, and choose its scopes, for example \`invoices:write\` and \`contacts:read\`.
3. Copy the key. It's shown **only once**.

Store it in an environment variable, never in your code:

\`\`\`bash
export LEDGERLY_TOKEN="lk_test_..."
\`\`\`

Sandbox keys start with \`lk_test_\` and live keys with \`lk_live_\`. Each key works with one organization only.

## 3. Make your first request

List a few contacts to check the key works:

\`\`\`bash
curl -s "https://api.ledgerly.example/v2/contacts?page_size=3" \\
  -H "Authorization: Bearer $LEDGERLY_TOKEN"
\`\`\`

## 4. Create an invoice

\`\`\`bash
curl -X POST https://api.ledgerly.example/v2/invoices \\
  -H "Authorization: Bearer $LEDGERLY_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d @invoice.json
\`\`\`

with \`invoice.json\`:

\`\`\`json
{
  "contact_id": "c_3hq9x",
  "date": "2024-06-03",
  "due_date": "2024-06-17",
  "line_items": [
    {
      "description": "Consultation, 60 minutes",
      "quantity": 1,
      "unit_amount": 120,
      "account_code": "4000",
      "tax_rate_id": "tr_exempt"
    }
  ]
}
\`\`\`

The invoice is created as a **Draft**. Add \`"status": "approved"\` to approve it straight away.

### Three things that trip people up
- **\`account_code\` is the account's code**, such as \`4000\`, not its name. List codes with \`GET /v2/accounts\`.
- **\`unit_amount\` is a decimal** in the organization's currency: \`120\` means 120.00, not cents.
- **Set \`tax_rate_id\` explicitly.** Without it, the line uses the account's default tax rate.

## Errors

Validation errors return \`422 Unprocessable Entity\` with a message naming the field, for example \`line_items[0].account_code\`. A \`401\` means the key is missing, revoked, or belongs to a different organization.

> **Tip:** the API has rate limits. Read *API rate limits and how to handle 429 errors* before you schedule anything that runs unattended.`,
    feedback: [
      { by: 'ben.okoro', helpful: true },
      { by: 'dev.olu', helpful: true },
    ],
  },
  {
    title: 'API rate limits and how to handle 429 errors',
    slug: 'api-rate-limits',
    category: 'integrations-api',
    tags: ['api', 'rate-limits', 'sync'],
    stage: 'adoption',
    author: 'sam.rivera',
    owner: 'ada',
    status: 'published',
    daysAgo: 14,
    publishedDaysAgo: 13,
    views: 310,
    body: `To keep Ledgerly fast for everyone, the API limits how many requests each integration can make. Well-behaved integrations rarely hit these limits, but a nightly sync for a large organization can. This article lists the limits and shows how to stay within them.

## The limits

Limits apply **per organization, per API key**:

| Limit | Value |
| --- | --- |
| Requests per minute | 120 |
| Requests per day | 5,000 |
| Concurrent requests | 5 |

The daily limit resets at midnight UTC.

## Reading the headers

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

\`x-ratelimit-reset\` is a Unix timestamp for when the per-minute window resets.

## Handling a 429

When you go over a limit, the API returns \`429 Too Many Requests\` with a \`Retry-After\` header in seconds. Wait that long, then retry the same request. A simple shell example:

\`\`\`bash
while true; do
  status=$(curl -s -o page.json -D headers.txt -w '%{http_code}' \\
    "https://api.ledgerly.example/v2/invoices?page_size=200&page=$PAGE" \\
    -H "Authorization: Bearer $LEDGERLY_TOKEN")
  [ "$status" != "429" ] && break
  sleep "$(grep -i '^retry-after:' headers.txt | tr -dc '0-9')"
done
\`\`\`

Don't retry immediately in a loop; repeated 429s don't reset the window any sooner.

## Make fewer requests

- **Use \`page_size=200\`.** The default is 50, so this alone cuts list calls by four.
- **Only fetch what changed.** Every list endpoint accepts \`modified_since\`. Store the time of your last successful sync and pass it next time.
- **Use webhooks instead of polling.** Subscribe to events such as \`bank_transaction.created\` or \`invoice.paid\` under **Apps & API → Webhooks**, and Ledgerly tells you when something happens.
- **Keep concurrency at 5 or below.** Extra parallel requests are rejected rather than queued.

> **Tip:** if you sync several client organizations, each has its own limits. Spread the jobs out so they don't all start at the same minute.`,
    selfResolvedBy: ['dev.olu'],
  },
  {
    title: 'Verify webhook signatures from Ledgerly',
    slug: 'verify-webhook-signatures',
    category: 'integrations-api',
    tags: ['webhooks', 'api', 'security', 'nodejs'],
    stage: 'adoption',
    author: 'ada',
    owner: 'ada',
    status: 'in_review',
    daysAgo: 11,
    views: 0,
    body: `Ledgerly signs every webhook it sends, so your endpoint can check that a request really came from Ledgerly and hasn't been changed or replayed. Always verify the signature before acting on an event.

## What's in the header

Each delivery includes a \`Ledgerly-Signature\` header:

\`\`\`text
Ledgerly-Signature: t=1717430400,v1=5f2b1c9e0d7a...
\`\`\`

- \`t\` is the Unix timestamp when Ledgerly sent the request.
- \`v1\` is the signature: a hex-encoded **HMAC-SHA256**.

## What's signed

The signed string is:

1. the \`t\` value,
2. a literal \`.\`,
3. the **raw request body**, exactly as received.

The key is your endpoint's **signing secret**, from **Apps & API → Webhooks → (endpoint) → Reveal secret**. Every endpoint has its own secret, and sandbox and live organizations never share one.

## Verify it

1. Read the raw body **before** any JSON parsing. Parsing and re-serialising can change whitespace and key order, and the signature will never match.
2. Compute the HMAC-SHA256 of \`t + "." + rawBody\` with your secret.
3. Compare it with \`v1\` using a **constant-time** comparison.
4. Reject requests where \`t\` is more than **5 minutes** from your server's clock. This blocks replayed requests.
5. Return a \`2xx\` status within 10 seconds. Do slow work afterwards, in a queue.

### Example in Node.js with Express

\`\`\`js
import crypto from 'node:crypto';
import express from 'express';

const app = express();

app.post('/webhooks/ledgerly', express.raw({ type: 'application/json' }), (req, res) => {
  const header = req.get('Ledgerly-Signature') ?? '';
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=')));
  const expected = crypto
    .createHmac('sha256', process.env.LEDGERLY_WEBHOOK_SECRET)
    .update(parts.t + '.' + req.body.toString('utf8'))
    .digest('hex');
  const received = parts.v1 ?? '';
  const valid =
    received.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(received), Buffer.from(expected));
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
  if (!valid || !fresh) return res.status(400).send('invalid signature');

  const event = JSON.parse(req.body.toString('utf8'));
  res.sendStatus(200);
  handleEvent(event);
});
\`\`\`

If you mount \`express.json()\` for the whole app, make sure it doesn't run before this route, or the raw body is gone.

## Testing locally

Resend a real delivery from **Apps & API → Webhooks → (endpoint) → Deliveries → Resend**, or sign a test payload yourself:

\`\`\`bash
TS=$(date +%s)
BODY='{"type":"invoice.paid","data":{"id":"inv_123"}}'
SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$LEDGERLY_WEBHOOK_SECRET" | awk '{print $NF}')
curl -X POST http://localhost:3000/webhooks/ledgerly \\
  -H "Content-Type: application/json" -H "Ledgerly-Signature: t=$TS,v1=$SIG" -d "$BODY"
\`\`\``,
  },
  {
    title: 'Send overdue invoice alerts to Slack with Zapier',
    slug: 'zapier-overdue-invoice-alerts',
    category: 'integrations-api',
    tags: ['zapier', 'automation', 'invoices'],
    stage: 'adoption',
    author: 'sam.rivera',
    owner: 'sam.rivera',
    status: 'draft',
    daysAgo: 3,
    views: 0,
    body: `The Ledgerly app for Zapier has three triggers: **New invoice**, **Invoice paid** and **New contact**. There's no trigger for an invoice becoming overdue, but you can build a daily alert with a scheduled Zap that asks the Ledgerly API for overdue invoices and posts them to a Slack channel.

## What you'll need

- A Zapier plan that includes **Webhooks by Zapier**
- A Ledgerly API key with the \`invoices:read\` scope, created under **Apps & API → API keys**
- A Slack channel for the alerts, such as \`#overdue-invoices\`

## Build the Zap

### Step 1: Schedule
1. Create a Zap with the **Schedule by Zapier** trigger.
2. Choose **Every day** at a time before your team starts work, and untick **Trigger on weekends**.

### Step 2: Fetch overdue invoices
1. Add a **Webhooks by Zapier** action with the **GET** event.
2. Set the URL to:

\`\`\`text
https://api.ledgerly.example/v2/invoices?status=overdue&page_size=200
\`\`\`

3. Under **Headers**, add \`Authorization\` with the value \`Bearer\` followed by a space and your API key.

The response includes each invoice's \`number\`, \`contact.name\`, \`amount_due\` and \`due_date\`:

\`\`\`json
{
  "data": [
    {
      "number": "INV-0457",
      "contact": { "name": "Fairway Catering" },
      "amount_due": "312.50",
      "due_date": "2024-06-05"
    }
  ]
}
\`\`\`

### Step 3: Post to Slack
1. Add a **Slack → Send Channel Message** action.
2. Map the fields into a message, for example: *Overdue: INV-0457, Fairway Catering, $312.50, due 5 June*.

The invoices arrive as line items. To post them as one summary message instead of a list of fields, add a **Formatter → Utilities → Line-item to text** step before Slack.

## Only alert on new overdue invoices

A daily list repeats the same invoices until they're paid. To alert only on invoices that became overdue yesterday, add \`&due_date=\` with yesterday's date to the URL, using Zapier's date formatter.

> **Tip:** keep your invoice reminders on in **Settings → Invoice reminders**. The Slack alert is for the people who pick up the phone; the reminder emails still do most of the chasing.`,
  },
];
