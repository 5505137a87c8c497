import type { Database } from '#db/client';
import type { Role } from '#db/schema';
import { hashPassword } from '~/utils/password.server';
import { seedCommunity } from './community';
import { seedKnowledgeBase } from './kb';
import { seedPrivateContent } from './private';
import { seedSupport } from './support';
import { seedAnalytics } from './analytics';
import { seedKnownIssues } from './known-issues';
import { demoCommunityMembers } from './community-content';

/**
 * A believable help center for Ledgerly, a fictional bookkeeping app for small businesses.
 * Everything here was written by the Commons team.
 */
export const demoSiteName = 'Ledgerly Help Center';

const categories = [
  {
    name: 'Getting started',
    slug: 'getting-started',
    description: 'Set up your company, invite your accountant and record your first sale.',
  },
  {
    name: 'Invoices & payments',
    slug: 'invoices-payments',
    description: 'Create invoices, take card payments, chase late payers and record refunds.',
  },
  {
    name: 'Bank connections',
    slug: 'bank-connections',
    description: 'Connect bank feeds, match transactions and fix feeds that stopped syncing.',
  },
  {
    name: 'Payroll',
    slug: 'payroll',
    description: 'Pay your team, file payroll taxes and handle holidays and leavers.',
  },
  {
    name: 'Taxes & reports',
    slug: 'taxes-reports',
    description: 'Sales tax returns, profit and loss, balance sheets and year-end.',
  },
  {
    name: 'Account & billing',
    slug: 'account-billing',
    description: 'Your Ledgerly plan, invoices from us, users and permissions.',
  },
  {
    name: 'Integrations & API',
    slug: 'integrations-api',
    description: 'Connect Ledgerly to your shop, your CRM or your own code.',
  },
];

const organizations = [
  { name: 'Brightside Bakery', domains: ['brightsidebakery.example'] },
  { name: 'Harbor & Pine Architects', domains: ['harborpine.example'] },
  {
    name: 'Northfield Family Clinic',
    domains: ['northfieldclinic.example', 'northfield-clinic.example'],
  },
];

export type DemoAccount = {
  role: Role;
  username: string;
  displayName: string;
  email: string;
  password: string;
};

export const demoAccounts: DemoAccount[] = [
  {
    role: 'admin',
    username: 'ada',
    displayName: 'Ada Okafor',
    email: 'ada@ledgerly.example',
    password: 'ledgerly-admin-demo',
  },
  {
    role: 'agent',
    username: 'sam.rivera',
    displayName: 'Sam Rivera',
    email: 'sam@ledgerly.example',
    password: 'ledgerly-agent-demo',
  },
  {
    role: 'moderator',
    username: 'mira',
    displayName: 'Mira Lindqvist',
    email: 'mira@ledgerly.example',
    password: 'ledgerly-moderator-demo',
  },
  {
    role: 'member',
    username: 'jonas.berg',
    displayName: 'Jonas Berg',
    email: 'jonas@brightsidebakery.example',
    password: 'ledgerly-member-demo',
  },
];

const moreMembers = [
  ...demoCommunityMembers,
  { username: 'priya.h', displayName: 'Priya Hartmann', email: 'priya@harborpine.example' },
  { username: 'tom_walsh', displayName: 'Tom Walsh', email: 'tom@northfieldclinic.example' },
  { username: 'lena.k', displayName: 'Lena Kowalski', email: 'lena@brightsidebakery.example' },
  { username: 'dev.olu', displayName: 'Olu Adeyemi', email: 'olu@freelance-books.example' },
];

/** Seeds an empty database; returns false (and changes nothing) when it already has users. */
export async function seedDemo(db: Database, now = new Date()): Promise<boolean> {
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  const createdAt = now.toISOString();
  const hashes = await Promise.all(demoAccounts.map((account) => hashPassword(account.password)));
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('categories')
      .values(
        categories.map((category, index) => ({
          ...category,
          position: index * 10,
          created_at: createdAt,
        })),
      )
      .execute();
    const domainOwners = new Map<string, number>();
    for (const organization of organizations) {
      const { id } = await trx
        .insertInto('organizations')
        .values({ name: organization.name, created_at: createdAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const domain of organization.domains) domainOwners.set(domain, id);
      await trx
        .insertInto('organization_domains')
        .values(organization.domains.map((domain) => ({ domain, organization_id: id })))
        .execute();
    }
    const organizationOf = (email: string) => domainOwners.get(email.split('@')[1] ?? '') ?? null;
    await trx
      .insertInto('users')
      .values([
        ...demoAccounts.map((account, index) => ({
          email: account.email,
          username: account.username,
          display_name: account.displayName,
          password_hash: hashes[index] ?? null,
          role: account.role,
          organization_id: organizationOf(account.email),
          // The demo's people have confirmed their addresses, so its tickets produce mail.
          email_verified_at: createdAt,
          created_at: createdAt,
        })),
        // Community members who have not set a password here (they cannot sign in).
        ...moreMembers.map((member) => ({
          email: member.email,
          username: member.username,
          display_name: member.displayName,
          password_hash: null,
          role: 'member' as const,
          organization_id: organizationOf(member.email),
          created_at: createdAt,
        })),
      ])
      .execute();
  });
  await seedCommunity(db, now);
  await seedKnowledgeBase(db, now);
  await seedPrivateContent(db, now);
  await seedSupport(db, now);
  await seedAnalytics(db, now);
  await seedKnownIssues(db, now);
  return true;
}
