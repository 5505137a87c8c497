// Uploads: how many 200 KB screenshots a second POST /uploads takes from a signed-in person (each
// judged, decoded, re-encoded without metadata and stored), and the thread page's req/s with 10
// uploaded images on it (every image sized from the uploads table when the post is saved). The
// uploader is the instance's first account, so its admin: staff pages are never stored, so the
// signed-in row is the cost of rendering the page every time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import sharp from 'sharp';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { askQuestion } from '~/models/threads.server';
import { createUser } from '~/models/users.server';
import { benchPage, signInCookie, type PageResult } from './pages';
import { startApp, stopApp } from './search';

export type UploadsBenchResult = {
  files: number;
  meanFileKiB: number;
  concurrency: number;
  filesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Anonymous (what the page cache serves) and signed in (rendered for each request). */
  threadPages: PageResult[];
};

const member = { username: 'bench-uploader', password: 'bench-uploader-password' };

/**
 * A 1280×800 screenshot of about 200 KB: flat panels like an app's window, and a noisy region
 * (a photo or a chart) sized so the PNG lands near 200 KB. Each call gives different bytes.
 */
async function screenshot(index: number): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width: 270,
      height: 200,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  const panel = await sharp({
    create: { width: 1280, height: 64, channels: 3, background: '#20324a' },
  })
    .png()
    .toBuffer();
  return sharp({
    create: {
      width: 1280,
      height: 800,
      channels: 3,
      background: { r: 235, g: 238, b: (240 + index) % 256 },
    },
  })
    .composite([
      { input: panel, top: 0, left: 0 },
      { input: noise, top: 200 + (index % 300), left: 400 + (index % 500) },
    ])
    .png()
    .toBuffer();
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function benchUploads(
  options: { files?: number; concurrency?: number; seconds?: number } = {},
  log: (message: string) => void = () => {},
): Promise<UploadsBenchResult> {
  const count = options.files ?? 200;
  const concurrency = options.concurrency ?? 4;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-uploads-'));
  const db = openDatabase(path.join(dir, 'commons.db'));
  let app: { url: string; child: ChildProcess } | null = null;
  try {
    await migrateToLatest(db);
    const created = await createUser(db, {
      email: `${member.username}@bench.invalid`,
      username: member.username,
      password: member.password,
    });
    if (!created.ok) throw new Error(`the bench member: ${JSON.stringify(created.fieldErrors)}`);
    const files = await Promise.all(Array.from({ length: count }, (_, n) => screenshot(n)));
    const meanFileKiB = files.reduce((sum, file) => sum + file.length, 0) / files.length / 1024;
    log(`uploads: ${count} screenshots of ${meanFileKiB.toFixed(0)} KiB on average`);

    app = await startApp({
      NODE_ENV: 'production',
      PORT: '0',
      DATA_DIR: dir,
      LOG_REQUESTS: 'false',
      UPLOAD_DAILY_BYTES: String(2 * 2 ** 30),
    });
    const baseUrl = app.url;
    const cookie = await signInCookie(baseUrl, member.username, member.password);
    const markdown: string[] = [];
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let n = next++; n < count; n = next++) {
          const body = new FormData();
          body.append('file', new File([new Uint8Array(files[n] ?? [])], `screenshot-${n}.png`));
          const sent = performance.now();
          const response = await fetch(`${baseUrl}/uploads`, {
            method: 'POST',
            body,
            headers: { cookie },
          });
          latencies.push(performance.now() - sent);
          const reply: unknown = await response.json();
          if (response.status !== 201) throw new Error(`upload ${n}: ${JSON.stringify(reply)}`);
          if (n < 10 && typeof reply === 'object' && reply && 'upload' in reply) {
            const upload = reply.upload;
            if (typeof upload === 'object' && upload && 'markdown' in upload)
              markdown[n] = String(upload.markdown);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    log(`uploads: ${count} in ${seconds.toFixed(1)} s`);

    const asked = await askQuestion(
      db,
      { id: created.user.id, role: 'member' },
      {
        title: 'The reconciliation screen shows every payment twice',
        body: `Ten screenshots of what happens, one per step:\n\n${markdown.join('\n\n')}`,
        categoryId: null,
        tags: [],
        journeyStage: null,
      },
    );
    if (!asked.ok) throw new Error(`the question: ${JSON.stringify(asked.fieldErrors)}`);
    const threadPath = `/questions/${asked.id}/${asked.slug}`;
    const tenSizedImages = (html: string) => {
      const sized = (
        html.match(/<img src="\/uploads\/[^"]+" alt="[^"]*" width="\d+" height="\d+"/g) ?? []
      ).length;
      return sized === 10 ? null : `shows ${sized} sized uploaded images, not 10`;
    };
    const threadPages: PageResult[] = [];
    for (const [page, headers] of [
      ['thread with 10 images, anonymous', {}],
      ['thread with 10 images, signed-in admin (rendered every time)', { cookie }],
    ] as const)
      threadPages.push(
        await benchPage(app, { page, path: threadPath, headers, check: tenSizedImages }, 0, {
          seconds: options.seconds ?? 15,
        }),
      );
    return {
      files: count,
      meanFileKiB,
      concurrency,
      filesPerSecond: count / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      threadPages,
    };
  } finally {
    await stopApp(app);
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// `node --import tsx bench/uploads.ts [files] [seconds]` runs this step alone (after a build).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [files, seconds] = process.argv.slice(2).map(Number);
  const result = await benchUploads(
    { files: files || undefined, seconds: seconds || undefined },
    (message) => console.error(`[bench] ${message}`),
  );
  console.log(JSON.stringify(result, null, 2));
}
