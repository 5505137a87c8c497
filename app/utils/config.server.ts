import path from 'node:path';
import { z } from 'zod';

/** Every variable the server reads; the README's configuration table lists exactly these. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .min(1)
    .refine(
      (value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^(file|sqlite):/i.test(value),
      'only SQLite is supported here: give a file path or a file: URL (PostgreSQL is not yet)',
    )
    .optional(),
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
  /** API v1 requests per token per minute. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Past these, a Meilisearch call fails and search answers from SQLite FTS5. */
  MEILI_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  MEILI_SEARCH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
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
  MEILI_MAX_INDEXING_MEMORY: z
    .string()
    .regex(/^\d+\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/, 'a size such as 256MiB')
    .optional(),
});

export type Config = z.infer<typeof configSchema> & { databaseFile: string };

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
  return { ...env, databaseFile: resolveDatabaseFile(env.DATABASE_URL, env.DATA_DIR) };
}

function resolveDatabaseFile(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return path.resolve(dataDir, 'commons.db');
  const withoutScheme = databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
  return path.resolve(withoutScheme);
}

/** Cookies are marked Secure only when the site is served over https. */
export function isHttpsSite(config: Config = getConfig()): boolean {
  return config.PUBLIC_URL?.startsWith('https:') ?? false;
}
