import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the test's identity provider. */
export type ProviderAccount = { email: string; name: string; emailVerified?: boolean };

export type TestIdentityProvider = {
  /** The issuer, http://127.0.0.1:<port>. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** People who can sign in, by their login at the provider (which is also their subject). */
  accounts: Map<string, ProviderAccount>;
  /** Registers the client once the app's callback addresses are known (the app's port). */
  registerClient: (redirectUris: string[]) => void;
  /** The next authorization code lives one second (to test an expired code). */
  expireNextCode: () => void;
  stop: () => Promise<void>;
};

/**
 * A real OpenID provider (the `oidc-provider` package) on a free port of this machine, with its
 * development login and consent pages: any login is accepted and names the account. Started
 * before the app (whose OIDC_ISSUER is its address); the client is registered afterwards.
 */
export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  let handler: http.RequestListener = (_request, response) => {
    response.statusCode = 503;
    response.end('The test provider has no client yet.');
  };
  const server = http.createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, ProviderAccount>();
  const clientId = 'commons-test';
  const clientSecret = 'a client secret long enough for HS256 signing';
  let shortCode = false;

  function registerClient(redirectUris: string[]) {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      cookies: { keys: ['test cookie key, not secret'] },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name', 'preferred_username'],
      },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      ttl: {
        AuthorizationCode: () => {
          const seconds = shortCode ? 1 : 60;
          shortCode = false;
          return seconds;
        },
      },
      findAccount: (_context, id) => {
        const account = accounts.get(id);
        if (!account) return undefined;
        return {
          accountId: id,
          claims: () => ({
            sub: id,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            name: account.name,
            preferred_username: id,
          }),
        };
      },
    });
    handler = provider.callback();
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    registerClient,
    expireNextCode: () => {
      shortCode = true;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
