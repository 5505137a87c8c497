import { Lucia, TimeSpan } from 'lucia';
import type { Role } from '#db/schema';
import { isHttpsSite } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { createKyselyAdapter } from './adapter.server';

function createLucia() {
  return new Lucia(createKyselyAdapter(getDb()), {
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: {
      name: 'commons_session',
      expires: true,
      attributes: { secure: isHttpsSite(), sameSite: 'lax', path: '/' },
    },
    getSessionAttributes(attributes) {
      return {
        lastSeenAt: attributes.last_seen_at ?? null,
        signInProvider: attributes.sign_in_provider ?? null,
      };
    },
    getUserAttributes(attributes) {
      return {
        username: attributes.username,
        displayName: attributes.display_name,
        role: attributes.role,
        email: attributes.email,
        organizationId: attributes.organization_id,
        suspendedUntil: attributes.suspended_until,
        emailVerifiedAt: attributes.email_verified_at,
      };
    },
  });
}

let instance: ReturnType<typeof createLucia> | undefined;

export function getLucia() {
  instance ??= createLucia();
  return instance;
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: number;
    DatabaseSessionAttributes: {
      user_agent?: string | null;
      ip_address?: string | null;
      last_seen_at?: string | null;
      sign_in_provider?: string | null;
    };
    DatabaseUserAttributes: {
      username: string;
      display_name: string;
      role: Role;
      email: string;
      organization_id: number | null;
      suspended_until: string | null;
      email_verified_at: string | null;
    };
  }
}
