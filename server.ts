import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import {
  createRequestHandler as createRemixHandler,
  type AppLoadContext,
  type ServerBuild,
} from '@remix-run/node';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { migrateToLatest } from '#db/migrate';
import type { Database } from '#db/client';
import { getConfig, type Config } from './app/utils/config.server';
import { closeDb, getDb } from './app/utils/db.server';
import { log } from './app/utils/log.server';
import { getViewer, validateSessionCookie } from './app/auth/session.server';
import { viewerKeys } from './app/models/visibility.server';
import { createPageCache } from './app/utils/page-cache.server';
import { countPageView, startViewCounter } from './app/models/page-views.server';
import { documentHtmlFor } from './app/utils/document-html.server';
import { startSearch, stopSearch } from '#search/engine';
import { startMailWorker } from './app/models/mail/sender.server';
import { startWebhookWorker } from './app/models/webhooks.server';
import { startUploadCleanup } from './app/models/uploads/cleanup.server';
import { startBreachSweep } from './app/models/sla/targets.server';
import { startSitemapRefresh } from './app/models/sitemap-store.server';
import { multipartBodyLimit } from './app/models/uploads/uploads.server';
import { searchSuggestions } from './app/models/search-suggestions.server';
import { startInboundSmtp } from './app/models/mail/inbound/smtp-listener.server';

/** The project's folder: this file's, or the parent of build/ when running compiled. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
}

const root = projectRoot();
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const knownMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A short page for the refusals made before Remix sees a request (JSON under /api/). */
function refuse(req: Request, res: Response, status: number, code: string, message: string) {
  if (req.path.startsWith('/api/')) {
    res.status(status).json({ error: { code, message } });
    return;
  }
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${message}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.4rem">${message}</h1><p><a href="/">Go to the help center</a></p></body></html>`,
    );
}

/**
 * TRACE, CONNECT and made-up methods get 405 here: Remix cannot even build a Request for some of
 * them and would answer 500.
 */
function knownMethodsOnly(req: Request, res: Response, next: NextFunction) {
  if (knownMethods.includes(req.method)) return next();
  res.setHeader('Allow', knownMethods.join(', '));
  refuse(req, res, 405, 'method_not_allowed', 'This address does not take that kind of request.');
}

/**
 * Bodies over the limit are refused from their Content-Length, before a byte is parsed: a failed
 * form echoes what was typed, so an unbounded body once cost 42 MB of reply per 20 MB posted.
 * A body without a Content-Length (chunked) cannot be judged up front and gets 411; browsers
 * always send the length of a form.
 */
function bodyLimit(maxBytes: number, multipartMaxBytes: number, inboundMaxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = req.get('content-length');
    if (declared === undefined) {
      if (req.get('transfer-encoding') === undefined) return next();
      return refuse(req, res, 411, 'length_required', 'Send the request with a Content-Length.');
    }
    // Forms with files may be larger: a file over the upload limit must reach the app, which
    // refuses it by name and keeps the text typed (multipartBodyLimit). Mail posted by a relay
    // may be as large as mail the SMTP listener takes.
    const limit = req.is('multipart/form-data')
      ? multipartMaxBytes
      : req.path === '/api/v1/inbound-email'
        ? inboundMaxBytes
        : maxBytes;
    if (Number(declared) <= limit) return next();
    const megabytes = Math.round((limit / 1_048_576) * 10) / 10;
    // NOTE: the connection is kept: Node reads and discards the rest of the body once the reply
    // is sent (nothing is buffered). Closing at once would reset the socket while the client is
    // still sending, and a reset can destroy the 413 before the client reads it.
    refuse(
      req,
      res,
      413,
      'payload_too_large',
      `That was too large to send (at most ${megabytes} MB). Nothing was saved: shorten it and try again.`,
    );
  };
}

const busyPage = Buffer.from(
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Busy</title></head>' +
    '<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">' +
    '<h1 style="font-size:1.4rem">The help center is busy. Try again in a moment.</h1></body></html>',
);
const busyJson = Buffer.from(
  JSON.stringify({ error: { code: 'overloaded', message: 'The server is busy; retry shortly.' } }),
);

/**
 * A bound on the requests handled at once: past it, 503 with Retry-After at once, so a spike
 * slows nobody already admitted (their latency stays bounded) instead of everyone timing out.
 * NOTE: this runs before Express sees the request. A refusal must cost next to nothing: through
 * Express a 503 cost ~0.9 ms, and 200 clients retrying at once spent on refusals half the time
 * the admitted pages needed. Static files and /healthz are exempt.
 */
function withLoadShedding(
  handler: http.RequestListener,
  maxInFlight: number,
  exempt: (pathname: string) => boolean,
): http.RequestListener {
  let inFlight = 0;
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (exempt(pathname)) return handler(req, res);
    if (inFlight >= maxInFlight) {
      const body = pathname.startsWith('/api/') ? busyJson : busyPage;
      res.writeHead(503, {
        'Content-Type': pathname.startsWith('/api/')
          ? 'application/json'
          : 'text/html; charset=utf-8',
        'Content-Length': body.length,
        'Retry-After': '1',
        'Cache-Control': 'no-store',
      });
      res.end(body);
      return;
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    handler(req, res);
  };
}

/** Paths served from build/client without Remix: hashed assets and the top-level public files. */
function staticPaths(clientDir: string): (pathname: string) => boolean {
  const files = new Set(
    fs.existsSync(clientDir)
      ? fs
          .readdirSync(clientDir, { withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => `/${entry.name}`)
      : [],
  );
  return (pathname) =>
    pathname === '/healthz' || pathname.startsWith('/assets/') || files.has(pathname);
}

function contentSecurityPolicy(nonce: string, development: boolean): string {
  // Vite's dev server injects inline scripts and talks over a websocket; production allows only
  // our own files and the scripts that carry this response's nonce.
  const scriptSrc = development ? "'self' 'unsafe-inline'" : `'self' 'nonce-${nonce}'`;
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

function securityHeaders(development: boolean) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = crypto.randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, development));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    next();
  };
}

/**
 * Refuses state-changing requests that a browser sent from another site. Requests without Origin
 * or Sec-Fetch-Site come from non-browser clients, which carry no ambient cookies to abuse. The
 * site's own origin is PUBLIC_URL, or the Host (X-Forwarded-Host behind a trusted proxy).
 */
function sameOriginMutations(config: Config) {
  const publicOrigin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : null;
  return (req: Request, res: Response, next: NextFunction) => {
    if (safeMethods.has(req.method)) return next();
    const origin = req.get('origin');
    const fetchSite = req.get('sec-fetch-site');
    const host =
      (config.TRUST_PROXY && req.get('x-forwarded-host')?.split(',')[0]?.trim()) || req.get('host');
    const ownOrigin = `${req.protocol}://${host}`;
    const allowed = origin
      ? origin === ownOrigin || origin === publicOrigin
      : !fetchSite || fetchSite === 'same-origin' || fetchSite === 'none';
    if (allowed) {
      // NOTE: Remix compares Origin with Host (or any X-Forwarded-Host) once more and throws,
      // a 500, when they differ, as they do behind a proxy that rewrites Host. This check has
      // the whole picture (PUBLIC_URL, TRUST_PROXY), so Remix is not shown the header again.
      delete req.headers.origin;
      return next();
    }
    log('warn', 'cross-origin request refused', {
      method: req.method,
      path: req.path,
      origin: origin ?? null,
    });
    res
      .status(403)
      .type('text/plain')
      .send(
        'This request came from another website, so it was refused. Go back to the site and try again.',
      );
  };
}

/** One JSON line per request. Only the path is logged: never query strings, headers or bodies. */
function requestLog(req: Request, res: Response, next: NextFunction) {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    if (req.path.startsWith('/assets/')) return;
    log('info', 'request', {
      method: req.method,
      path: req.path,
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      ip: req.ip,
    });
  });
  next();
}

/**
 * The member a Cookie header signs in, when their own copy of a page may be stored: never staff
 * (their pages show the team's numbers), a suspended person, or a session the reply must renew.
 */
async function storableMember(cookieHeader: string): Promise<number | null> {
  const { user, setCookie } = await validateSessionCookie(cookieHeader);
  if (!user || setCookie || user.role !== 'member') return null;
  if (user.suspendedUntil && user.suspendedUntil > new Date().toISOString()) return null;
  return user.id;
}

type StartOptions = { beforeListen?: (db: Database) => Promise<void> };

export async function startServer(options: StartOptions = {}): Promise<Server> {
  const config = getConfig();
  const development = config.NODE_ENV !== 'production';
  const db = getDb();
  await migrateToLatest(db, (message) => log('info', message));
  await options.beforeListen?.(db);
  await startSearch(db, config, log);
  const webhooks = startWebhookWorker(db, log);
  const mail = startMailWorker(db, log);
  const uploadCleanup = startUploadCleanup(db, log);
  const breachSweep = startBreachSweep(db, log);
  const sitemaps = startSitemapRefresh(db, (error) =>
    log('error', 'sitemaps were not built', { error: String(error) }),
  );
  const views = startViewCounter(db, config.VIEW_COUNT_SECONDS * 1000, (error) =>
    log('error', 'page views were not written', { error: String(error) }),
  );
  const inboundSmtp =
    config.INBOUND_SMTP_PORT === undefined
      ? null
      : await startInboundSmtp(db, {
          port: config.INBOUND_SMTP_PORT,
          host: config.INBOUND_SMTP_HOST,
          maxBytes: config.INBOUND_MAX_BYTES,
          log,
        });

  const viteDevServer = development
    ? await import('vite').then((vite) => vite.createServer({ server: { middlewareMode: true } }))
    : undefined;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(compression());
  if (config.LOG_REQUESTS) app.use(requestLog);
  app.use(securityHeaders(development));
  app.use(knownMethodsOnly);
  app.use(bodyLimit(config.MAX_BODY_BYTES, multipartBodyLimit(config), config.INBOUND_MAX_BYTES));
  app.use(sameOriginMutations(config));

  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (viteDevServer) {
    app.use(viteDevServer.middlewares);
    build = () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>;
  } else {
    // Hashed file names never change content, so browsers may keep them for a year.
    app.use(
      '/assets',
      express.static(path.join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }),
    );
    // Asked for at every keystroke: answered before Remix, whose route matching (all the routes
    // ranked again on every request) cost more than the app's own work. The route module's
    // loader is the same function, for the development server.
    app.get('/search/suggest', (req, res, next) => {
      const url = new URL(req.originalUrl, 'http://localhost');
      // Only what the person may see: their session decides, as in the route module.
      getViewer(new Request(url, { headers: { cookie: req.headers.cookie ?? '' } }))
        .then((viewer) => searchSuggestions(db, url, viewerKeys(viewer) ?? 'all'))
        .then((suggestions) => res.set('Cache-Control', 'no-store').json(suggestions), next);
    });
    app.use(express.static(path.join(root, 'build/client'), { maxAge: '1h' }));
    build = (await import(
      pathToFileURL(path.join(root, 'build/server/index.js')).href
    )) as ServerBuild;
  }

  const loadContext = (req: Request, nonce: string): AppLoadContext => ({
    cspNonce: nonce,
    clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    documentHtml: documentHtmlFor(new URL(req.originalUrl, 'http://localhost')),
  });
  if (typeof build !== 'function' && config.PAGE_CACHE_MB > 0) {
    const pageCache = createPageCache({
      db,
      render: createRemixHandler(build, 'production'),
      loadContext,
      contentSecurityPolicy: (nonce) => contentSecurityPolicy(nonce, false),
      countView: (view) => countPageView(db, view),
      memberOf: storableMember,
      maxBytes: config.PAGE_CACHE_MB * 1_048_576,
      maxAgeMs: config.PAGE_CACHE_SECONDS * 1000,
      onError: (error) => log('error', 'page cache', { error: String(error) }),
    });
    app.get('*', pageCache.middleware);
  }
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: development ? 'development' : 'production',
      getLoadContext: (req, res) => loadContext(req, String(res.locals.cspNonce)),
    }),
  );

  const server = await new Promise<Server>((resolve) => {
    const listener = development
      ? app
      : withLoadShedding(
          app,
          config.MAX_REQUESTS_IN_FLIGHT,
          staticPaths(path.join(root, 'build/client')),
        );
    const created = http.createServer(listener);
    // NOTE: an idle keep-alive connection must be closed by the client (or the proxy in front),
    // never by this server: a server that closes one as the client reuses it makes the client see
    // ECONNRESET for a request that never arrived (test/e2e/two-servers, under load, with Node's
    // 5 s). Proxies keep idle upstream connections up to 60 s (nginx's upstream keepalive_timeout,
    // AWS load balancers), so this waits longer.
    created.keepAliveTimeout = 65_000;
    created.headersTimeout = 66_000;
    const listening = created.listen(config.PORT, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log('info', 'listening', {
    url: `http://localhost:${port}`,
    mode: development ? 'development' : 'production',
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    // Stop accepting, let in-flight requests finish, then close idle keep-alive sockets.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(forced);
    await viteDevServer?.close();
    await inboundSmtp?.stop();
    await webhooks.stop();
    await mail.stop();
    await uploadCleanup.stop();
    await breachSweep.stop();
    await sitemaps.stop();
    await views.stop();
    await stopSearch();
    await closeDb();
    log('info', 'stopped');
    process.exit(0);
  }
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  startServer().catch((error: unknown) => {
    log('error', 'start-up failed', {
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  });
}
