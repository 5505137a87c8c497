import { z } from 'zod';
import type { Database } from '#db/client';
import type { FieldErrors } from '~/utils/forms.server';

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const organizationSchema = z.object({
  name: z
    .string()
    .trim()
    .min(2, 'Use at least 2 characters.')
    .max(100, 'Use at most 100 characters.'),
  domains: z
    .string()
    .max(2000, 'That list is too long.')
    .transform((text) => [
      ...new Set(
        text
          .toLowerCase()
          .split(/[\s,;]+/)
          .filter(Boolean),
      ),
    ])
    .superRefine((domains, ctx) => {
      const bad = domains.find((domain) => !domainPattern.test(domain));
      if (bad)
        ctx.addIssue({
          code: 'custom',
          message: `"${bad.slice(0, 80)}" is not a domain like example.com.`,
        });
      if (domains.length > 20)
        ctx.addIssue({ code: 'custom', message: 'Give at most 20 domains.' });
    }),
});

export type OrganizationInput = z.infer<typeof organizationSchema>;

export async function listOrganizations(db: Database) {
  const organizations = await db
    .selectFrom('organizations')
    .select((eb) => [
      'organizations.id',
      'organizations.name',
      eb
        .selectFrom('users')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('users.organization_id', '=', 'organizations.id')
        .as('member_count'),
    ])
    .orderBy('organizations.name')
    .execute();
  const domains = await db
    .selectFrom('organization_domains')
    .select(['domain', 'organization_id'])
    .orderBy('domain')
    .execute();
  return organizations.map((organization) => ({
    ...organization,
    member_count: organization.member_count ?? 0,
    domains: domains.filter((d) => d.organization_id === organization.id).map((d) => d.domain),
  }));
}

export async function getOrganization(db: Database, id: number) {
  const organization = await db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!organization) return null;
  const domains = await db
    .selectFrom('organization_domains')
    .select('domain')
    .where('organization_id', '=', id)
    .orderBy('domain')
    .execute();
  return { ...organization, domains: domains.map((d) => d.domain) };
}

async function conflicts(
  db: Database,
  input: OrganizationInput,
  exceptId: number | null,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const sameName = await db
    .selectFrom('organizations')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', input.name.toLowerCase()))
    .executeTakeFirst();
  if (sameName && sameName.id !== exceptId) errors.name = 'Another organization has this name.';
  if (input.domains.length > 0) {
    const owned = await db
      .selectFrom('organization_domains')
      .innerJoin('organizations', 'organizations.id', 'organization_domains.organization_id')
      .select(['organization_domains.domain', 'organizations.name', 'organizations.id'])
      .where('organization_domains.domain', 'in', input.domains)
      .execute();
    const clash = owned.find((row) => row.id !== exceptId);
    if (clash) errors.domains = `${clash.domain} already belongs to ${clash.name}.`;
  }
  return errors;
}

/** Creates or updates an organization and replaces its email domains. */
export async function saveOrganization(
  db: Database,
  input: OrganizationInput,
  id: number | null = null,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; fieldErrors: FieldErrors }> {
  const fieldErrors = await conflicts(db, input, id);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const savedId = await db.transaction().execute(async (trx) => {
    let organizationId = id;
    if (organizationId === null) {
      const created = await trx
        .insertInto('organizations')
        .values({ name: input.name, created_at: now.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      organizationId = created.id;
    } else {
      await trx
        .updateTable('organizations')
        .set({ name: input.name })
        .where('id', '=', organizationId)
        .execute();
      await trx
        .deleteFrom('organization_domains')
        .where('organization_id', '=', organizationId)
        .execute();
    }
    if (input.domains.length > 0) {
      const orgId = organizationId;
      await trx
        .insertInto('organization_domains')
        .values(input.domains.map((domain) => ({ domain, organization_id: orgId })))
        .execute();
    }
    return organizationId;
  });
  return { ok: true, id: savedId };
}

export async function deleteOrganization(db: Database, id: number): Promise<boolean> {
  const result = await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The organization whose email domain matches, for a new account. */
export async function organizationIdForEmail(db: Database, email: string): Promise<number | null> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const row = await db
    .selectFrom('organization_domains')
    .select('organization_id')
    .where('domain', '=', domain)
    .executeTakeFirst();
  return row?.organization_id ?? null;
}
