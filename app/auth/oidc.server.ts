import * as oidc from 'openid-client';
import type { Database } from '#db/client';
import {
  awaitAccountProof,
  findIdentityUser,
  findPendingSignIn,
  forgetPendingSignIn,
  isAllowedIssuer,
  linkIdentity,
  noteIdentitySignIn,
  savePendingSignIn,
  type SignInProvider,
} from '~/models/sign-in-providers.server';
import { insertUserWithFreeUsername } from '~/models/users.server';
import { publicOrigin } from '~/utils/public-url.server';
import { httpOnlyCookie, readCookie } from './cookies.server';
import { formatDate } from '~/utils/dates';
import { log } from '~/utils/log.server';

/**
 * Sign-in with an OpenID Connect provider: the authorization code flow with PKCE, `state` and
 * `nonce` (openid-client checks the ID token's signature against the issuer's JWKS, its issuer,
 * audience, expiry and nonce). The browser keeps the state in a cookie, so a callback that was
 * not started in this browser is refused (docs/decisions/023).
 */

const pendingCookie = 'commons_oidc';

export function pendingStateOf(request: Request): string | null {
  return readCookie(request, pendingCookie);
}

function stateCookie(value: string, maxAgeSeconds: number): string {
  return httpOnlyCookie(pendingCookie, value, maxAgeSeconds);
}

export const clearPendingCookie = stateCookie('', 0);

// Discovery documents, kept for a few minutes per provider, and read again after an edit.
const configurations = new Map<
  string,
  { at: number; version: string; configuration: Promise<oidc.Configuration> }
>();
const discoveryMinutes = 10;

type IssuerSettings = Pick<SignInProvider, 'issuer' | 'clientId' | 'clientSecret'>;

function discover(provider: IssuerSettings): Promise<oidc.Configuration> {
  const issuer = new URL(provider.issuer);
  return oidc.discovery(
    issuer,
    provider.clientId,
    undefined,
    oidc.ClientSecretBasic(provider.clientSecret),
    // http is only accepted for an issuer on this machine (isAllowedIssuer).
    issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
}

function configurationFor(provider: SignInProvider): Promise<oidc.Configuration> {
  const version = `${provider.updatedAt} ${provider.issuer} ${provider.clientId}`;
  const cached = configurations.get(provider.slug);
  const fresh = cached && Date.now() - cached.at < discoveryMinutes * 60_000;
  if (fresh && cached.version === version) return cached.configuration;
  const configuration = discover(provider);
  configurations.set(provider.slug, { at: Date.now(), version, configuration });
  configuration.catch(() => configurations.delete(provider.slug));
  return configuration;
}

/** Reads the issuer's discovery document: for the admin form, before a provider is saved. */
export async function checkIssuer(provider: IssuerSettings): Promise<string | null> {
  if (!isAllowedIssuer(new URL(provider.issuer))) return 'The issuer must use https.';
  try {
    await discover(provider);
    return null;
  } catch (error) {
    return explain(error, 'The provider').message;
  }
}

function callbackUrl(request: Request, provider: SignInProvider): string {
  const origin = publicOrigin(request);
  return new URL(`/auth/${provider.slug}/callback`, origin).toString();
}

/** Where to send the browser to sign in at the provider, and the cookie that keeps its state. */
export async function startProviderSignIn(
  db: Database,
  request: Request,
  provider: SignInProvider,
  redirectTo: string,
): Promise<
  | { ok: true; url: string; cookie: string }
  | { ok: false; problem: { title: string; message: string } }
> {
  let configuration: oidc.Configuration;
  try {
    configuration = await configurationFor(provider);
  } catch (error) {
    log('warn', 'OpenID discovery failed', { provider: provider.slug, error: String(error) });
    return { ok: false, problem: explain(error, provider.label) };
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await savePendingSignIn(db, state, { provider: provider.slug, codeVerifier, nonce, redirectTo });
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(request, provider),
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { ok: true, url: url.toString(), cookie: stateCookie(state, 15 * 60) };
}

export type ProviderSignIn =
  | { kind: 'signed-in'; userId: number; redirectTo: string; created: boolean }
  /** The provider vouched for the email of an existing account: its owner must prove it. */
  | { kind: 'prove-account'; email: string }
  | { kind: 'refused'; status: number; title: string; message: string };

function refused(message: string, title = 'Sign-in did not work', status = 400): ProviderSignIn {
  return { kind: 'refused', status, title, message };
}

/** What went wrong, in words for the person who was signing in. */
function explain(error: unknown, label: string): { message: string; title: string } {
  const problem = error as {
    code?: string;
    error?: string;
    cause?: { cause?: { claim?: string } };
  };
  // openid-client wraps oauth4webapi's error, whose cause names the claim that did not match.
  const claim = problem.cause?.cause?.claim;
  if (error instanceof oidc.AuthorizationResponseError) {
    if (problem.error === 'access_denied')
      return {
        title: 'Sign-in cancelled',
        message: `${label} did not sign you in (you may have cancelled). Try again when you are ready.`,
      };
    return {
      title: 'Sign-in did not work',
      message: `${label} refused the sign-in (${problem.error}). Try again, or ask an admin to check the provider's settings.`,
    };
  }
  if (error instanceof oidc.ResponseBodyError && problem.error === 'invalid_grant') {
    return {
      title: 'This sign-in expired',
      message: `The sign-in code from ${label} expired or was already used. Sign in again.`,
    };
  }
  switch (problem.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (claim === 'iss')
        return {
          title: 'Sign-in could not be verified',
          message: `${label} answered as a different issuer than the one configured here. An admin should check the issuer URL.`,
        };
      return {
        title: 'Sign-in could not be verified',
        message: `The answer from ${label} does not belong to the sign-in this browser started (its ${claim ?? 'claims'} did not match). Sign in again.`,
      };
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      return {
        title: 'The provider is misconfigured',
        message: `${label}'s discovery document names a different issuer than the URL configured here. An admin should copy the issuer exactly as the provider states it.`,
      };
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return {
        title: 'This sign-in expired',
        message: `The identity ${label} sent has expired. Sign in again.`,
      };
  }
  if (error instanceof TypeError || problem.code === 'OAUTH_RESPONSE_IS_NOT_JSON')
    return {
      title: 'The provider could not be reached',
      message: `${label} could not be reached or did not answer as an OpenID provider. Try again later; if it persists, an admin should check the issuer URL.`,
    };
  return {
    title: 'Sign-in could not be verified',
    message: `The answer from ${label} could not be verified. Sign in again.`,
  };
}

/**
 * Finishes a sign-in when the provider sends the browser back: exchanges the code, checks the ID
 * token, then finds the person (a linked identity), asks an existing account's owner to prove it,
 * or creates an account when the provider may.
 */
export async function finishProviderSignIn(
  db: Database,
  request: Request,
  provider: SignInProvider,
  now = new Date(),
): Promise<ProviderSignIn> {
  const url = new URL(request.url);
  const state = pendingStateOf(request);
  const pending = state ? await findPendingSignIn(db, state, now) : null;
  if (!state || !pending || pending.provider !== provider.slug || !pending.codeVerifier) {
    return refused(
      'This sign-in was not started in this browser, or it took longer than 15 minutes. Start again from the sign-in page.',
      'Sign-in expired',
    );
  }
  // The state is spent whatever happens next: a second use of this answer is refused.
  await forgetPendingSignIn(db, state);
  if (url.searchParams.get('state') !== state) {
    return refused(
      `The answer from ${provider.label} does not belong to the sign-in this browser started. Sign in again.`,
      'Sign-in could not be verified',
    );
  }
  let claims: oidc.IDToken;
  try {
    const configuration = await configurationFor(provider);
    const callback = new URL(callbackUrl(request, provider));
    callback.search = url.search;
    const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return refused(`${provider.label} sent no identity.`);
    claims = idClaims;
    // Email and name may come only from the userinfo endpoint.
    if (!claims.email && tokens.access_token) {
      const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      claims = { ...info, ...claims };
    }
  } catch (error) {
    log('warn', 'OpenID sign-in failed', { provider: provider.slug, error: String(error) });
    const { title, message } = explain(error, provider.label);
    return refused(message, title);
  }
  return decideAccount(db, provider, state, pending.redirectTo, claims, now);
}

async function decideAccount(
  db: Database,
  provider: SignInProvider,
  state: string,
  redirectTo: string,
  claims: oidc.IDToken,
  now: Date,
): Promise<ProviderSignIn> {
  const subject = claims.sub;
  const linked = await findIdentityUser(db, provider.slug, subject);
  if (linked) {
    const problem = await accountProblem(provider, linked, now);
    if (problem) return problem;
    await noteIdentitySignIn(db, provider.slug, subject, now);
    return { kind: 'signed-in', userId: linked.id, redirectTo, created: false };
  }
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email || claims.email_verified !== true) {
    return refused(
      `${provider.label} did not confirm an email address for your account, so it cannot be matched to an account here. Confirm your email there and try again.`,
    );
  }
  const domain = email.split('@').pop() ?? '';
  if (provider.emailDomains.length > 0 && !provider.emailDomains.includes(domain)) {
    return refused(
      `${email} cannot sign in with ${provider.label}: only addresses at ${provider.emailDomains.join(', ')} may.`,
      'This address is not allowed',
      403,
    );
  }
  const existing = await db
    .selectFrom('users')
    .select(['id', 'role', 'suspended_until', 'suspended_reason', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing) {
    const problem = await accountProblem(provider, existing, now);
    if (problem) return problem;
    if (!existing.password_hash) {
      return refused(
        `${email} belongs to an account that was brought in from another community and has no password yet. Claim it first (Sign in → Claim your account), then sign in with ${provider.label} again.`,
        'Claim your account first',
        403,
      );
    }
    // Never linked silently: whoever controls the provider account must also own this one.
    await awaitAccountProof(db, state, provider.slug, { userId: existing.id, subject, email }, now);
    return { kind: 'prove-account', email };
  }
  if (!provider.createAccounts) {
    return refused(
      `There is no account here for ${email}, and ${provider.label} may only sign in people who already have one. Ask your administrator for an account.`,
      'No account for this address',
      403,
    );
  }
  const name = typeof claims.name === 'string' ? claims.name : undefined;
  const hint =
    typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
  const account = await insertUserWithFreeUsername(
    db,
    { email, name, usernameHint: hint, role: provider.newAccountRole, verified: true },
    now,
  );
  if (!account.created) return decideAccount(db, provider, state, redirectTo, claims, now);
  await linkIdentity(db, { userId: account.id, provider: provider.slug, subject, email }, now);
  return { kind: 'signed-in', userId: account.id, redirectTo, created: true };
}

async function accountProblem(
  provider: SignInProvider,
  account: { role: string; suspended_until: string | null; suspended_reason: string | null },
  now: Date,
): Promise<ProviderSignIn | null> {
  if (account.suspended_until && account.suspended_until > now.toISOString()) {
    return refused(
      `Your account is suspended until ${formatDate(account.suspended_until)}. Reason: ${account.suspended_reason ?? 'none given'}.`,
      'Account suspended',
      403,
    );
  }
  if (!(provider.roles as string[]).includes(account.role)) {
    return refused(
      `Accounts with the ${account.role} role cannot sign in with ${provider.label}. Sign in another way.`,
      'Not allowed with this provider',
      403,
    );
  }
  return null;
}

/**
 * After a password sign-in: if this browser came back from a provider that vouched for this very
 * account, the two are linked now that the owner proved the account.
 */
export async function linkProvenAccount(
  db: Database,
  request: Request,
  userId: number,
): Promise<string | null> {
  const state = pendingStateOf(request);
  const pending = state ? await findPendingSignIn(db, state) : null;
  if (!state || !pending?.link) return null;
  await forgetPendingSignIn(db, state);
  if (pending.link.userId !== userId) return null;
  await linkIdentity(db, {
    userId,
    provider: pending.provider,
    subject: pending.link.subject,
    email: pending.link.email,
  });
  return pending.provider;
}

/** The provider sign-in waiting for this browser's password, if any: for the sign-in page. */
export async function accountAwaitingProof(
  db: Database,
  request: Request,
): Promise<{ provider: string; email: string } | null> {
  const state = pendingStateOf(request);
  const pending = state ? await findPendingSignIn(db, state) : null;
  return pending?.link ? { provider: pending.provider, email: pending.link.email } : null;
}
