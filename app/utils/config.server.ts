import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Every kind of file Commons can recognise from its bytes; UPLOAD_TYPES picks from these. */
export const uploadTypeNames = [
  'png',
  'jpeg',
  'gif',
  'webp',
  'pdf',
  'txt',
  'log',
  'csv',
  'zip',
] as const;
export type UploadTypeName = (typeof uploadTypeNames)[number];
const defaultUploadTypes = uploadTypeNames;

/** A comma-separated setting, as its lower-case items without blanks. */
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean),
);

/** Every variable the server reads; the README's configuration table lists exactly these. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .min(1)
    .refine(
      (value) =>
        !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
        /^(file|sqlite|postgres|postgresql):/i.test(value),
      'a SQLite file (a path or a file: URL) or a PostgreSQL server (postgres://user:password@host/db)',
    )
    .optional(),
  /** Connections to PostgreSQL per app server (SQLite has one). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SITE_NAME: z.string().min(1).max(80).default('Commons'),
  TRUST_PROXY: z.stringbool().default(false),
  LOG_REQUESTS: z.stringbool().default(true),
  MEILI_URL: z.url({ protocol: /^https?$/ }).optional(),
  MEILI_MASTER_KEY: z.string().min(1).optional(),
  /** The largest request body taken (forms and API), in bytes; larger ones get 413. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(1_073_741_824).default(1_048_576),
  /**
   * Requests handled at once; past it, 503 with Retry-After (assets and /healthz exempt). Pages
   * are CPU work in this one process (SQLite is in-process), so a small bound keeps the event loop
   * free to accept new connections: at 64, under 200 connections the accept queue held ~120
   * connections for seconds and a few requests waited 10 s or more (decision 010).
   */
  MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(12),
  /** Memory for rendered pages served to anonymous readers; 0 turns the page cache off. */
  PAGE_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(64),
  /** The oldest stored page served although no version changed (relative times move on). */
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** How often views counted in memory are written; a crash loses at most this many seconds. */
  VIEW_COUNT_SECONDS: z.coerce.number().min(0.1).max(3_600).default(2),
  /** API v1 requests per token per minute. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Past these, a Meilisearch call fails and search answers from SQLite FTS5. */
  MEILI_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  MEILI_SEARCH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Rank by meaning as well as words (a sentence encoder in the app process; about 100 MB). */
  SEARCH_BY_MEANING: z.enum(['on', 'off']).default('on'),
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'use letters, digits, - and _')
    .default(''),
  /** Read by the local Meilisearch itself (it inherits the environment); checked here. */
  /** Outgoing mail server (smtp:// or smtps://, with credentials); unset: mails become files. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }).optional(),
  /** The sender of every mail, e.g. `Help <help@example.com>`; default: no-reply at the site's host. */
  MAIL_FROM: z
    .string()
    .min(3)
    .max(200)
    .refine(
      (value) => !/[\r\n]/.test(value) && value.includes('@'),
      'an address such as help@example.com',
    )
    .optional(),
  /** The domain of reply addresses (`reply+<token>@REPLY_DOMAIN`); default: MAIL_FROM's domain. */
  REPLY_DOMAIN: z
    .string()
    .regex(
      /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/,
      'a domain name such as reply.example.com',
    )
    .transform((domain) => domain.toLowerCase())
    .optional(),
  /**
   * Addresses whose mail becomes a new ticket (comma-separated), e.g. `support@example.com`;
   * unset: mail only reaches us as replies.
   */
  SUPPORT_ADDRESS: commaList
    .pipe(
      z
        .array(
          z.string().regex(/^[^\s@<>,;"]+@[a-z0-9.-]+$/, 'addresses such as support@example.com'),
        )
        .min(1, 'name at least one address'),
    )
    .optional(),
  /** Port of the SMTP listener that receives mail (from MX or a forwarder); unset: no listener. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface the SMTP listener binds to. */
  INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * IP addresses of relays in front of the SMTP listener (a forwarder, the MX on this machine)
   * whose Authentication-Results we keep; mail from any other client is checked by us (SPF,
   * DKIM, DMARC). Comma-separated; default none.
   */
  INBOUND_TRUSTED_RELAYS: commaList
    .pipe(z.array(z.string().refine((ip) => isIP(ip) !== 0, 'IP addresses such as 127.0.0.1')))
    .default([]),
  /** The largest mail taken, in bytes: larger mail is refused (SMTP 552, HTTP 413). */
  INBOUND_MAX_BYTES: z.coerce.number().int().min(1_024).max(1_073_741_824).default(26_214_400),
  /** File types people may upload, judged by the file's bytes (never its name). */
  UPLOAD_TYPES: commaList
    .pipe(
      z
        .array(z.enum(uploadTypeNames, `one or more of ${uploadTypeNames.join(', ')}`))
        .min(1, 'name at least one type'),
    )
    .default([...defaultUploadTypes]),
  /** The largest file taken, in bytes. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1_024).max(1_073_741_824).default(10_485_760),
  /** The bytes one person may upload in any 24 hours (staff included). */
  UPLOAD_DAILY_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(1_099_511_627_776)
    .default(104_857_600),
  /** One OpenID Connect provider for automated installs (more at /admin/sign-in). */
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_LABEL: z.string().min(1).max(60).default('Sign in with SSO'),
  /** Email domains whose people may sign in with it, comma-separated; unset: any. */
  OIDC_EMAIL_DOMAINS: commaList.default([]),
  /** An S3-compatible store for uploads (path-style: `S3_URL/S3_BUCKET/key`); unset: DATA_DIR/uploads. */
  S3_URL: z.url({ protocol: /^https?$/ }).optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name such as commons-uploads')
    .optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'a region such as us-east-1')
    .default('us-east-1'),
  MEILI_MAX_INDEXING_MEMORY: z
    .string()
    .regex(/^\d+\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/, 'a size such as 256MiB')
    .optional(),
});

export type Config = z.infer<typeof configSchema> & {
  /** The SQLite file (an absolute path) or the PostgreSQL URL. */
  database: string;
};

let cached: Config | undefined;

/** Reads and validates the environment once; a bad value stops start-up with the variable's name. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

export function parseConfig(environment: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const required: Array<[string, readonly (keyof typeof env)[]]> = [
    ['S3_URL', ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']],
    ['OIDC_ISSUER', ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']],
  ];
  const missing = required.flatMap(([setting, needs]) =>
    env[setting as keyof typeof env]
      ? needs.filter((key) => !env[key]).map((key) => `${key}: required when ${setting} is set`)
      : [],
  );
  if (missing.length) throw new Error(`Invalid configuration:\n  ${missing.join('\n  ')}`);
  return { ...env, database: resolveDatabase(env.DATABASE_URL, env.DATA_DIR) };
}

function resolveDatabase(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return path.resolve(dataDir, 'commons.db');
  if (/^postgres(ql)?:/i.test(databaseUrl)) return databaseUrl;
  const withoutScheme = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
  return path.resolve(withoutScheme);
}

/** Cookies are marked Secure only when the site is served over https. */
export function isHttpsSite(config: Config = getConfig()): boolean {
  return config.PUBLIC_URL?.startsWith('https:') ?? false;
}
