import type { Browser, Locator, Page, TestInfo } from '@playwright/test';
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { expect, newAccount, newPerson, signUp, test } from './support/fixtures';

/**
 * A PNG that looks like what people attach: an error dialog over a noisy app window (the noise
 * makes it weigh what a real screenshot weighs, so its upload takes visible time when throttled).
 */
async function screenshotPng(width: number, height: number, message: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#eef1f6"/>
    <rect x="${width * 0.2}" y="${height * 0.25}" width="${width * 0.6}" height="${height * 0.5}" rx="14" fill="#ffffff" stroke="#c9ced8" stroke-width="2"/>
    <rect x="${width * 0.2}" y="${height * 0.25}" width="${width * 0.6}" height="54" rx="14" fill="#c92a2a"/>
    <text x="${width * 0.2 + 24}" y="${height * 0.25 + 36}" font-family="sans-serif" font-size="24" font-weight="bold" fill="#ffffff">Sync failed</text>
    <text x="${width * 0.2 + 24}" y="${height * 0.25 + 110}" font-family="sans-serif" font-size="22" fill="#1c2230">${message}</text>
  </svg>`;
  const noise = await sharp({
    create: {
      width,
      height: Math.round(height * 0.06),
      channels: 3,
      background: '#aab4c8',
      noise: { type: 'gaussian', mean: 170, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: noise, top: 0, left: 0 }])
    .png()
    .toBuffer();
}

async function askQuestion(page: Page, title: string) {
  await page.goto('/questions/ask');
  await page.getByLabel('Title').fill(title);
  await page
    .getByLabel('Details')
    .fill('Every time the sync runs it stops with an error dialog. What does it mean?');
  await page.getByRole('button', { name: 'Post your question' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return page.url();
}

/** Pastes a file into a textarea the way a browser does for a screenshot on the clipboard. */
async function pasteFile(page: Page, label: string, name: string, bytes: Buffer) {
  // The editor takes pasted files once its code has loaded (on a thread page, after the page),
  // which is when it offers them.
  await expect(page.getByText(/or paste a screenshot/)).toBeVisible();
  const textarea = page.getByLabel(label, { exact: true });
  await textarea.click();
  await textarea.evaluate(
    (element, file) => {
      const data = new DataTransfer();
      const binary = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
      data.items.add(new File([binary], file.name, { type: 'image/png' }));
      element.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    },
    { name, base64: bytes.toString('base64') },
  );
}

/** The image's size as loaded and as the page reserved it before it loaded. */
async function imageSizes(images: Locator) {
  const image = images.first();
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete)).toBe(true);
  return image.evaluate((img: HTMLImageElement) => ({
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    width: Number(img.getAttribute('width')),
    height: Number(img.getAttribute('height')),
    src: img.getAttribute('src') ?? '',
    link: img.closest('a')?.getAttribute('href') ?? null,
  }));
}

async function shoot(page: Page, testInfo: TestInfo, name: string, selector?: string) {
  const path = testInfo.outputPath(`${name}.png`);
  if (selector) await page.locator(selector).first().screenshot({ path });
  else await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Slows the page's uploads so their progress can be seen (Chromium's network emulation). */
async function throttleUploads(page: Page, bytesPerSecond: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
  };
}

async function memberPage(browser: Browser, baseURL: string | undefined, prefix: string) {
  return newPerson(browser, baseURL, prefix);
}

test('a screenshot pasted into the answer editor uploads with progress and shows on the thread at its size', async ({
  browser,
  baseURL,
}, testInfo) => {
  const asker = await memberPage(browser, baseURL, 'pasteasker');
  const answerer = await memberPage(browser, baseURL, 'paster');
  const threadUrl = await askQuestion(asker.page, `Sync stops with an error dialog ${Date.now()}`);
  const png = await screenshotPng(1400, 800, 'Error 409: the ledger changed while syncing.');

  const page = answerer.page;
  await page.goto(threadUrl);
  const answer = page.getByLabel('Answer', { exact: true });
  await answer.fill('Reconnect the ledger, then sync again. This is the dialog I got:');
  await page.setViewportSize({ width: 1100, height: 900 });

  const restore = await throttleUploads(page, 60_000);
  // Chromium names a pasted screenshot image.png; the editor gives it a dated name.
  await pasteFile(page, 'Answer', 'image.png', png);
  const progress = page.getByRole('progressbar', { name: /^Uploading screenshot-/ });
  await expect(progress).toBeVisible();
  // Posting now would post the placeholder: the editor holds the form until the file is there.
  await page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(page.getByText('Wait until the files finish uploading, then post.')).toBeAttached();
  await expect(answer).toHaveValue(/!\[Uploading screenshot-[\d-]+\.png…\]\(\)/);
  await expect
    .poll(() => progress.evaluate((bar: HTMLProgressElement) => bar.value))
    .toBeGreaterThan(0);
  await shoot(page, testInfo, 'editor-uploading', '.answer-form');
  await restore();

  await expect(answer).toHaveValue(
    /^Reconnect the ledger, then sync again\. This is the dialog I got:\n!\[screenshot-\d{4}-\d{2}-\d{2}-\d{6}\.png\]\(\/uploads\/[\w-]{16}\/screenshot-[\d-]+\.png\)$/,
    { timeout: 20_000 },
  );
  await expect(page.getByRole('list', { name: 'Attached files' })).toContainText('Attached');
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('img')).toBeVisible();
  await shoot(page, testInfo, 'editor-attached', '.answer-form');

  await page.getByRole('button', { name: 'Post your answer' }).click();
  const posted = page.getByRole('article', { name: /Answer by/ });
  await expect(posted).toContainText('Reconnect the ledger');
  const image = await imageSizes(posted.locator('img[src^="/uploads/"]'));
  // Wider than the page: a display-sized copy, its size written into the page, the original
  // one click away.
  expect(image.width).toBeGreaterThan(0);
  expect(image.width).toBeLessThan(1400);
  expect(image.naturalWidth).toBe(image.width);
  expect(image.naturalHeight).toBe(image.height);
  expect(image.height / image.width).toBeCloseTo(800 / 1400, 2);
  expect(image.link).toMatch(/^\/uploads\/[\w-]{16}\/screenshot-[\d-]+\.png$/);
  const original = await page.request.get(image.link ?? '');
  expect(original.status()).toBe(200);
  expect((await sharp(await original.body()).metadata()).width).toBe(1400);
  await page.setViewportSize({ width: 1100, height: 1000 });
  await posted.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await shoot(page, testInfo, 'thread-with-image');
});

test('a customer attaches a screenshot to a new request; the agent sees it, another member gets 404', async ({
  browser,
  baseURL,
}, testInfo) => {
  // Three people sign up, one of them made an agent by the admin.
  test.setTimeout(60_000);
  const customer = await memberPage(browser, baseURL, 'shotcustomer');
  const agent = await newPerson(browser, baseURL, 'shotagent', 'agent');
  const stranger = await memberPage(browser, baseURL, 'shotstranger');
  const subject = `Payroll export fails with an error ${Date.now()}`;

  const page = customer.page;
  await page.goto('/requests/new');
  await page.getByLabel('Subject').fill(subject);
  await page
    .getByLabel('How can we help?')
    .fill('The export stops halfway. The screenshot shows the message.');
  await page.getByLabel('Attach files').setInputFiles({
    name: 'export-error.png',
    mimeType: 'image/png',
    buffer: await screenshotPng(900, 520, 'Export failed: 3 employees have no tax code.'),
  });
  await expect(page.getByLabel('How can we help?')).toHaveValue(
    /shows the message\.\n!\[export-error\.png\]\(\/uploads\/[\w-]{16}\/export-error\.png\)$/,
  );
  await page.getByRole('button', { name: 'Send to support' }).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const ticketId = /\/requests\/(\d+)/.exec(page.url())?.[1];
  expect(ticketId).toBeDefined();
  const mine = await imageSizes(page.locator('img[alt="export-error.png"]'));
  expect(mine.naturalWidth).toBe(900);

  await agent.page.goto(`/agent/tickets/${ticketId}`);
  await expect(agent.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  const seen = await imageSizes(agent.page.locator('img[alt="export-error.png"]'));
  expect(seen).toMatchObject({ naturalWidth: 900, naturalHeight: 520, width: 900, height: 520 });
  await shoot(agent.page, testInfo, 'agent-ticket-with-image');

  // The file's address alone lets no one else in: the same answer as for no file at all.
  const strangers = await stranger.page.request.get(seen.src);
  expect(strangers.status()).toBe(404);
  const anonymous = await (await browser.newContext({ baseURL })).request.get(seen.src);
  expect(anonymous.status()).toBe(404);
  expect((await customer.page.request.get(seen.src)).status()).toBe(200);
});

test('a refused file is taken out of the text with the reason beside the editor; a dropped file is linked at the cursor', async ({
  browser,
  baseURL,
}, testInfo) => {
  const { page } = await memberPage(browser, baseURL, 'refused');
  await page.goto('/requests/new');
  const body = page.getByLabel('How can we help?');
  await body.fill('Before the file.');
  await page.getByLabel('Attach files').setInputFiles({
    name: 'invoice.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<!doctype html><title>Not a picture</title><script>alert(1)</script>'),
  });
  const refusal = page.getByRole('alert').filter({ hasText: 'invoice.png' });
  await expect(refusal).toBeVisible();
  await expect(body).toHaveValue('Before the file.');
  await expect(page.getByLabel('Attach files')).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, testInfo, 'editor-refused', '.card');
  // Typing on, then a file that is accepted: the message goes, the text stays.
  await body.press('End');
  await body.pressSequentially(' After the refusal.');
  await page.getByLabel('Attach files').setInputFiles({
    name: 'invoice-2.png',
    mimeType: 'image/png',
    buffer: await screenshotPng(320, 200, 'Total: 0.00'),
  });
  await expect(body).toHaveValue(
    /^Before the file\. After the refusal\.\n!\[invoice-2\.png\]\(\/uploads\/[\w-]{16}\/invoice-2\.png\)$/,
  );
  await expect(refusal).toHaveCount(0);

  // A file that is not a picture, dropped on the text with the cursor at the start: a link there.
  await body.press('Control+Home');
  const dropped = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['1. Open Payroll\n2. Export'], 'steps.txt', { type: 'text/plain' }));
    return data;
  });
  await body.dispatchEvent('dragover', { dataTransfer: dropped });
  await body.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(body).toHaveValue(
    /^\[steps\.txt\]\(\/uploads\/[\w-]{16}\/steps\.txt\)\nBefore the file\. After the refusal\.\n!\[invoice-2/,
  );
});

/** A signed-in member's page in a browser that runs no JavaScript, on a new question. */
async function withoutJavaScript(browser: Browser, baseURL: string | undefined, title: string) {
  const asker = await memberPage(browser, baseURL, 'nojsasker');
  const threadUrl = await askQuestion(asker.page, `${title} ${Date.now()}`);
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signUp(page, newAccount('nojs'));
  await page.goto(threadUrl);
  return { page, context };
}

test('without JavaScript, an answer is posted with a screenshot from the file field', async ({
  browser,
  baseURL,
}, testInfo) => {
  const { page, context } = await withoutJavaScript(browser, baseURL, 'Bank rule ignores amounts');
  await page
    .getByLabel('Answer', { exact: true })
    .fill('Set the rule to match “exactly”, as in this screenshot of the rule:');
  await page.getByLabel('Attach files').setInputFiles({
    name: 'bank-rule.png',
    mimeType: 'image/png',
    buffer: await screenshotPng(640, 360, 'Amount: is exactly 120.00'),
  });
  await shoot(page, testInfo, 'editor-without-javascript', '.answer-form');
  await page.getByRole('button', { name: 'Post your answer' }).click();
  const posted = page.getByRole('article', { name: /Answer by/ });
  await expect(posted).toContainText('as in this screenshot');
  const image = await imageSizes(posted.locator('img[alt="bank-rule.png"]'));
  expect(image).toMatchObject({ naturalWidth: 640, naturalHeight: 360, width: 640, height: 360 });
  await context.close();
});

test("without JavaScript, a file over the limit comes back as the file field's error with the text kept", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(60_000);
  const { page, context } = await withoutJavaScript(browser, baseURL, 'Sync log too big to read');
  const typed = 'The sync log from this morning is attached.';
  await page.getByLabel('Answer', { exact: true }).fill(typed);
  // From a file on disk: the browser reads it itself, where 11 MB sent as a buffer crawls
  // through the test protocol.
  const log = testInfo.outputPath('server.log');
  await fs.writeFile(log, Buffer.alloc(11 * 1_048_576, 'x'));
  await page.getByLabel('Attach files').setInputFiles(log);
  await page.getByRole('button', { name: 'Post your answer' }).click();
  await expect(page.getByText(/server\.log is 11 MB; .*at most 10 MB/)).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.getByLabel('Answer', { exact: true })).toHaveValue(typed);
  await expect(page.getByLabel('Attach files')).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, testInfo, 'editor-without-javascript-refused', '.answer-form');
  await context.close();
});
