// Pages under load, each beside a static file of the same bytes from the same server, the
// server's memory while it serves, the overload behaviour, and the JavaScript each page ships.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { benchMember, type SeedInfo } from './seed';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
};

/** One page to measure; `check` says what is wrong with its HTML, or null when it is the page. */
export type PageTarget = {
  page: string;
  path: string;
  /** Sent with every request (a session cookie), to the page and to its static twin alike. */
  headers?: Record<string, string>;
  check?: (html: string) => string | null;
};

export type PageResult = {
  page: string;
  path: string;
  posts: number;
  htmlBytes: number;
  load: LoadResult;
  staticFile: LoadResult;
  /** Page requests/s over static file requests/s. */
  ratio: number;
  rss: { idleMiB: number; peakMiB: number; meanMiB: number };
};

export type ShippedJs = { page: string; url: string; files: number; gzipBytes: number };

function load(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon({ url, duration: seconds, connections, headers }, (error, result) => {
      if (error) return reject(error);
      resolve({
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        errors: result.errors,
        non2xx: result.non2xx,
      });
    });
  });
}
function rssMiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's resident memory every 100 ms until stopped. */
function sampleRss(pid: number) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const value = rssMiB(pid);
    if (value !== null) samples.push(value);
  }, 100);
  return () => {
    clearInterval(timer);
    return {
      peakMiB: Math.max(0, ...samples),
      meanMiB: samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length),
    };
  };
}

/**
 * Loads a page for `seconds`, then a static file of the same HTML served by the same server (its
 * static twin), and reports both and their ratio. Every response must be a 2xx: a page that
 * answers errors fast would otherwise look like a fast page.
 */
export async function benchPage(
  app: { url: string; child: ChildProcess },
  target: PageTarget,
  posts: number,
  options: { seconds?: number; connections?: number } = {},
): Promise<PageResult> {
  const seconds = options.seconds ?? 15;
  const connections = options.connections ?? 10;
  const headers = target.headers ?? {};
  const pid = app.child.pid;
  if (!pid) throw new Error('the app has no pid');
  const response = await fetch(`${app.url}${target.path}`, { headers, redirect: 'manual' });
  if (response.status !== 200) throw new Error(`${target.path} answered ${response.status}`);
  const html = await response.text();
  const problem = target.check?.(html);
  if (problem) throw new Error(`${target.page} (${target.path}): ${problem}`);
  // The same bytes, served as a file by the same Express server.
  const name = `bench-static-${process.pid}-${posts}-${target.page.replace(/\W+/g, '-')}.html`;
  const staticFile = path.join(root, 'build/client', name);
  fs.writeFileSync(staticFile, html);
  try {
    // Warm both paths (SQLite's page cache, V8's code) before measuring.
    await load(`${app.url}${target.path}`, 3, connections, headers);
    await load(`${app.url}/${name}`, 2, connections, headers);
    const idleMiB = rssMiB(pid) ?? 0;
    const stop = sampleRss(pid);
    const page = await load(`${app.url}${target.path}`, seconds, connections, headers);
    const rss = stop();
    const staticResult = await load(`${app.url}/${name}`, seconds, connections, headers);
    for (const [what, result] of [
      [target.path, page],
      [`its static twin`, staticResult],
    ] as const)
      if (result.errors || result.non2xx)
        throw new Error(
          `${target.page}: ${what} answered ${result.non2xx} non-2xx responses and ${result.errors} errors under load`,
        );
    return {
      page: target.page,
      path: target.path,
      posts,
      htmlBytes: Buffer.byteLength(html),
      load: page,
      staticFile: staticResult,
      ratio: page.requestsPerSecond / Math.max(staticResult.requestsPerSecond, 1e-9),
      rss: { idleMiB, ...rss },
    };
  } finally {
    fs.rmSync(staticFile, { force: true });
  }
}

/**
 * Signs in through the real /login form, as a browser without JavaScript would, and returns the
 * Cookie header that carries the session.
 */
export async function signInCookie(baseUrl: string, login: string, password: string) {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    body: new URLSearchParams({ login, password, redirectTo: '/' }),
    redirect: 'manual',
  });
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  if (response.status !== 302 || cookies.length === 0)
    throw new Error(`signing in as ${login} answered ${response.status} without a session cookie`);
  return cookies.join('; ');
}

export const anonymousThread = 'thread, anonymous';
export const memberThread = 'thread, signed-in member';

/** The pages of issue 18, each with what its HTML must show for the measurement to count. */
export async function pageTargets(baseUrl: string, info: SeedInfo): Promise<PageTarget[]> {
  const threadPath = `/questions/${info.benchThread.id}/${info.benchThread.slug}`;
  const allAnswers = (html: string) => {
    const answers = (html.match(/id="answer-\d+"/g) ?? []).length;
    return answers === info.benchThread.answers
      ? null
      : `shows ${answers} answers, not ${info.benchThread.answers}`;
  };
  // Signed in once, through the form; every request of the run then carries the session.
  const cookie = await signInCookie(baseUrl, benchMember.login, benchMember.password);
  return [
    { page: anonymousThread, path: threadPath, check: allAnswers },
    {
      page: memberThread,
      path: threadPath,
      headers: { cookie },
      check: (html) =>
        allAnswers(html) ??
        (html.includes(benchMember.displayName) ? null : 'the member is not signed in'),
    },
    { page: 'home', path: '/' },
    { page: 'KB article', path: `/kb/${info.article.slug}` },
    {
      page: 'search',
      path: `/search?${new URLSearchParams({ q: info.searchQuery })}`,
      check: (html) =>
        html.includes('class="search-result"') ? null : `no results for "${info.searchQuery}"`,
    },
  ];
}

export type OverloadResult = {
  label: string;
  connections: number;
  seconds: number;
  admitted: number;
  shed: number;
  failed: number;
  admittedP50Ms: number;
  admittedP99Ms: number;
  admittedMaxMs: number;
};

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * `connections` clients ask for the page back to back for `seconds`. Latency is counted apart for
 * the requests the server admitted (2xx) and those it shed (503), which a plain load generator
 * mixes: the point of shedding is that the admitted ones stay fast. A request still unanswered
 * after 30 s counts as failed. With `honourRetryAfter`, a client told 503 waits as browsers and
 * proxies do; without it, every refusal is asked again at once (the worst case).
 */
export async function benchOverload(
  url: string,
  label: string,
  options: { seconds?: number; connections?: number; honourRetryAfter?: boolean } = {},
): Promise<OverloadResult> {
  const seconds = options.seconds ?? 15;
  const connections = options.connections ?? 200;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const admittedMs: number[] = [];
  let shed = 0;
  let failed = 0;
  const until = Date.now() + seconds * 1000;
  /** One request; resolves with the seconds a 503 asks to wait (0 otherwise). */
  function once(): Promise<number> {
    const started = performance.now();
    return new Promise((resolve) => {
      const request = http.get(url, { agent, timeout: 30_000 }, (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) admittedMs.push(performance.now() - started);
          else if (status === 503) shed += 1;
          else failed += 1;
          resolve(status === 503 ? Number(response.headers['retry-after'] ?? 0) : 0);
        });
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', () => {
        failed += 1;
        resolve(0);
      });
    });
  }
  async function client() {
    while (Date.now() < until) {
      const retryAfter = await once();
      // A browser or a proxy waits as Retry-After asks; a load generator asks again at once.
      if (options.honourRetryAfter && retryAfter > 0)
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }
  try {
    await Promise.all(Array.from({ length: connections }, client));
  } finally {
    agent.destroy();
  }
  admittedMs.sort((a, b) => a - b);
  return {
    label,
    connections,
    seconds,
    admitted: admittedMs.length,
    shed,
    failed,
    admittedP50Ms: percentile(admittedMs, 50),
    admittedP99Ms: percentile(admittedMs, 99),
    admittedMaxMs: admittedMs.at(-1) ?? 0,
  };
}

/** The JavaScript a page makes the browser download (scripts and module preloads), gzipped. */
export async function shippedJs(baseUrl: string, page: string, pagePath: string) {
  const response = await fetch(`${baseUrl}${pagePath}`);
  if (!response.ok) throw new Error(`${pagePath} answered ${response.status}`);
  const html = await response.text();
  const urls = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(match[1]!);
  for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    urls.add(match[1]!);
  for (const match of html.matchAll(/import\s*(?:[\w{}*\s,]+from\s*)?["'](\/[^"']+\.js)["']/g))
    urls.add(match[1]!);
  let gzipBytes = 0;
  for (const url of urls) {
    const file = await fetch(new URL(url, baseUrl));
    gzipBytes += zlib.gzipSync(Buffer.from(await file.arrayBuffer()), { level: 9 }).length;
  }
  // Inline scripts (route data, the module loader) ship too; JSON-LD is data for search engines,
  // not JavaScript, and no browser runs it.
  for (const match of html.matchAll(
    /<script(?![^>]*\ssrc=)(?![^>]*type="application\/ld\+json")[^>]*>([\s\S]*?)<\/script>/g,
  ))
    if (match[1]) gzipBytes += zlib.gzipSync(Buffer.from(match[1]), { level: 9 }).length;
  return { page, url: pagePath, files: urls.size, gzipBytes } satisfies ShippedJs;
}
