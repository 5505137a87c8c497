import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

/**
 * The gap dashboard on the demo help center (90 days of seeded traffic), on a server of its own:
 * the worker's shared server starts empty and has no story to tell.
 */

type DemoServer = { url: string; stop: () => Promise<void> };

async function startDemoServer(): Promise<DemoServer> {
  if (!fs.existsSync('build/server/index.js'))
    throw new Error('No production build: run `npm run build` before the end-to-end tests.');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-e2e-gaps-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const output: string[] = [];
  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timeout = setTimeout(kill, 10_000);
      await exited;
      clearTimeout(timeout);
    }
    process.off('exit', kill);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`demo server did not start in 150 s:\n${output.join('')}`)),
        150_000,
      );
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        output.push(text);
        const match = /"message":"listening","url":"([^"]+)"/.exec(text);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`demo server exited with ${code}:\n${output.join('')}`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const test = base.extend<object, { demo: DemoServer }>({
  demo: [
    // Playwright reads the fixtures a function needs from its first parameter: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startDemoServer();
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  baseURL: async ({ demo }, use) => use(demo.url),
});

test.describe.configure({ mode: 'serial' });

async function signInAsAgent(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill('sam.rivera');
  await page.getByLabel('Password').fill('ledgerly-agent-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner').locator('summary[aria-haspopup="menu"]')).toBeVisible();
}

test('the dashboard reads at a glance in light and dark mode', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({
      baseURL,
      colorScheme,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await signInAsAgent(page);
    await page.goto('/agent/gaps?range=90');
    await expect(page.getByRole('heading', { level: 1, name: 'Content gaps' })).toBeVisible();
    // Every chart has its numbers in a table.
    await expect(page.getByRole('table', { name: 'Self-service score per week' })).toBeAttached();
    await expect(
      page.getByRole('table', { name: 'What resolved tickets, by week' }),
    ).toBeAttached();
    await expect(
      page.getByRole('list', { name: 'Gaps: To do' }).getByRole('listitem').first(),
    ).toBeVisible();
    await page.screenshot({
      path: `test-results/gaps-dashboard-${colorScheme}.png`,
      fullPage: true,
    });
    await context.close();
  }
});

test('an agent opens the top gap of the last 7 days, writes the article from it and publishes it; the gap is done', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAsAgent(page);
  await page.goto('/agent/gaps');
  await page
    .getByRole('navigation', { name: 'Date range' })
    .getByRole('link', { name: '7 days' })
    .click();
  await expect(
    page.getByRole('navigation', { name: 'Date range' }).getByRole('link', { name: '7 days' }),
  ).toHaveAttribute('aria-current', 'page');

  const top = page.getByRole('list', { name: 'Gaps: To do' }).getByRole('listitem').first();
  await expect(top).toContainText('No content for a problem');
  await expect(top).toContainText('searches found nothing');
  const title = (await top.getByRole('link').textContent())?.trim() ?? '';
  expect(title).not.toBe('');
  await top.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What people searched for' })).toBeVisible();
  const gapUrl = page.url();
  await page.screenshot({ path: 'test-results/gaps-gap-page.png', fullPage: true });

  await page.getByRole('button', { name: 'Write an article' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New article' })).toBeVisible();
  await expect(page.getByRole('note')).toContainText(title);
  await expect(page.getByLabel('Title')).not.toHaveValue('');
  await expect(page.getByLabel('Article')).toHaveValue(/Drafted from the content gap/);
  await expect(page.getByLabel('Article')).toHaveValue(/- \[ \] Searched for “/);
  await page.screenshot({ path: 'test-results/gaps-draft-from-gap.png', fullPage: true });
  await page.getByLabel('Title').fill('Export your payroll to Sage');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status')).toHaveText('Moved to published.');

  await page.goto(gapUrl);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Done' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export your payroll to Sage' })).toBeVisible();

  await page.goto('/agent/gaps?range=7&queue=done');
  await expect(page.getByRole('list', { name: 'Gaps: Done' })).toContainText(title);
  await expect(
    page.getByRole('list', { name: 'Gaps: Done' }).getByRole('listitem').filter({ hasText: title }),
  ).toContainText('Done');
});
