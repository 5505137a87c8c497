import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export const roles = ['member', 'agent', 'moderator', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Dates are ISO-8601 strings: that is what SQLite hands back, and they sort correctly. */
type IsoDate = string;

export type OrganizationsTable = {
  id: Generated<number>;
  name: string;
  created_at: IsoDate;
};

export type OrganizationDomainsTable = {
  domain: string;
  organization_id: number;
};

export type UsersTable = {
  id: Generated<number>;
  email: string;
  username: string;
  display_name: string;
  /** null for accounts that cannot sign in (imported, not yet claimed). */
  password_hash: string | null;
  role: Generated<Role>;
  organization_id: number | null;
  reputation: Generated<number>;
  suspended_until: IsoDate | null;
  created_at: IsoDate;
};

export type SessionsTable = {
  id: string;
  user_id: number;
  expires_at: IsoDate;
};

export type CategoriesTable = {
  id: Generated<number>;
  name: string;
  slug: string;
  description: Generated<string>;
  position: Generated<number>;
  created_at: IsoDate;
};

export type SignInFailuresTable = {
  id: Generated<number>;
  key: string;
  created_at: IsoDate;
};

export type DB = {
  organizations: OrganizationsTable;
  organization_domains: OrganizationDomainsTable;
  users: UsersTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  sign_in_failures: SignInFailuresTable;
};

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Category = Selectable<CategoriesTable>;
export type Organization = Selectable<OrganizationsTable>;
