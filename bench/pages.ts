// The thread page under load beside a static file of the same size, the server's memory while it
// serves, and the JavaScript each page ships.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
};

export type ThreadPageResult = {
  posts: number;
  htmlBytes: number;
  answersOnPage: number;
  thread: LoadResult;
  staticFile: LoadResult;
  /** Thread page requests/s over static file requests/s. */
  ratio: number;
  rss: { idleMiB: number; peakMiB: number; meanMiB: number };
};

export type ShippedJs = { page: string; url: string; files: number; gzipBytes: number };

function load(url: string, seconds: number, connections: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon({ url, duration: seconds, connections }, (error, result) => {
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
 * Loads the thread page (a question with 30 answers) for `seconds`, then a static file of the same
 * HTML served by the same server, and reports both and their ratio.
 */
export async function benchThreadPage(
  app: { url: string; child: ChildProcess },
  threadPath: string,
  posts: number,
  options: { seconds?: number; connections?: number } = {},
): Promise<ThreadPageResult> {
  const seconds = options.seconds ?? 15;
  const connections = options.connections ?? 10;
  const pid = app.child.pid;
  if (!pid) throw new Error('the app has no pid');
  const response = await fetch(`${app.url}${threadPath}`);
  if (!response.ok) throw new Error(`${threadPath} answered ${response.status}`);
  const html = await response.text();
  const answersOnPage = (html.match(/id="answer-\d+"/g) ?? []).length;
  // The same bytes, served as a file by the same Express server.
  const name = `bench-static-${process.pid}-${posts}.html`;
  const staticFile = path.join(root, 'build/client', name);
  fs.writeFileSync(staticFile, html);
  try {
    // Warm both paths (SQLite's page cache, V8's code) before measuring.
    await load(`${app.url}${threadPath}`, 3, connections);
    await load(`${app.url}/${name}`, 2, connections);
    const idleMiB = rssMiB(pid) ?? 0;
    const stop = sampleRss(pid);
    const thread = await load(`${app.url}${threadPath}`, seconds, connections);
    const rss = stop();
    const staticResult = await load(`${app.url}/${name}`, seconds, connections);
    return {
      posts,
      htmlBytes: Buffer.byteLength(html),
      answersOnPage,
      thread,
      staticFile: staticResult,
      ratio: thread.requestsPerSecond / Math.max(staticResult.requestsPerSecond, 1e-9),
      rss: { idleMiB, ...rss },
    };
  } finally {
    fs.rmSync(staticFile, { force: true });
  }
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
  // Inline scripts (route data, the module loader) ship too.
  for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g))
    if (match[1]) gzipBytes += zlib.gzipSync(Buffer.from(match[1]), { level: 9 }).length;
  return { page, url: pagePath, files: urls.size, gzipBytes } satisfies ShippedJs;
}
