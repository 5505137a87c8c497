import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test';
import { adminAccount, expect, newAccount, test, type Account } from './support/fixtures';

// The community and the ticket desk with the keyboard alone: after each page.goto, only Tab,
// Shift+Tab, Enter, Space, arrows and typing. Every control on the way must take the focus, show
// it, and act on the keys a keyboard user presses. What the people have to work on is made through
// the site's forms over HTTP beforehand.

const maxPresses = 150;

type Colour = { r: number; g: number; b: number };

/** A computed rgb() or rgba() colour, laid over what is behind it when translucent. */
function parseColour(value: string, behind: Colour = { r: 255, g: 255, b: 255 }): Colour {
  const match =
    /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)(?:,\s*([\d.]+))?\)$/.exec(value);
  if (!match) throw new Error(`cannot read the colour ${value}`);
  const alpha = match[4] === undefined ? 1 : Number(match[4]);
  const [r, g, b] = [match[1], match[2], match[3]].map(Number);
  const over = (channel: number, base: number) => alpha * channel + (1 - alpha) * base;
  return { r: over(r!, behind.r), g: over(g!, behind.g), b: over(b!, behind.b) };
}

function luminance({ r, g, b }: Colour): number {
  const [red, green, blue] = [r, g, b].map((channel) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue!;
}

function contrast(one: Colour, other: Colour): number {
  const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

/**
 * The focused element must show where the focus is: an outline of at least 2px whose colour
 * stands 3:1 against what surrounds it (WCAG's contrast for the parts of a control).
 */
async function expectVisibleFocus(target: Locator) {
  const ring = await target.evaluate((element) => {
    const style = getComputedStyle(element);
    let around: Element | null = element.parentElement;
    let background = 'rgb(255, 255, 255)';
    while (around) {
      const colour = getComputedStyle(around).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
        background = colour;
        break;
      }
      around = around.parentElement;
    }
    const label = element.getAttribute('aria-label') ?? element.textContent ?? '';
    return {
      name: `${element.tagName.toLowerCase()} “${label.trim().slice(0, 40)}”`,
      focusVisible: element.matches(':focus-visible'),
      style: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      colour: style.outlineColor,
      background,
    };
  });
  expect(ring.focusVisible, `${ring.name} shows keyboard focus`).toBe(true);
  expect(ring.style, `${ring.name} has a focus outline`).not.toBe('none');
  expect(ring.width, `${ring.name}'s focus outline is wide enough`).toBeGreaterThanOrEqual(2);
  const background = parseColour(ring.background);
  const ratio = contrast(parseColour(ring.colour, background), background);
  expect(
    ratio,
    `${ring.name}'s focus outline ${ring.colour} on ${ring.background}`,
  ).toBeGreaterThanOrEqual(3);
}

/** Presses Tab until the target has the focus, as a person would; no mouse, no focus(). */
async function pressTabUntilFocused(page: Page, target: Locator) {
  await expect(target).toHaveCount(1);
  for (let presses = 0; presses <= maxPresses; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} did not get the focus in ${maxPresses} presses of Tab`);
}

/** Tabs to a control, which must show that it has the focus. */
async function tabTo(page: Page, control: Locator) {
  await pressTabUntilFocused(page, control);
  await expectVisibleFocus(control);
}

/** Tabs to a text field and types, the way a person fills one in. */
async function tabAndType(page: Page, field: Locator, text: string) {
  await pressTabUntilFocused(page, field);
  await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
}

// Setup through the forms' own posts.

type Person = { account: Account; api: APIRequestContext; page: Page };

async function postForm(api: APIRequestContext, path: string, form: Record<string, string>) {
  const response = await api.post(path, { multipart: form, maxRedirects: 0 });
  expect(response.status(), `${form.intent ?? 'post'} to ${path}`).toBeLessThan(400);
  return response;
}

async function person(
  browser: Browser,
  baseURL: string,
  account: Account,
  existing = false,
): Promise<Person> {
  const context = await browser.newContext({ baseURL });
  const api = context.request;
  const response = existing
    ? await api.post('/login', {
        form: { login: account.username, password: account.password },
        maxRedirects: 0,
      })
    : await api.post('/signup', { form: { ...account }, maxRedirects: 0 });
  expect(response.status(), `${account.username} signed in`).toBe(302);
  return { account, api, page: await context.newPage() };
}

async function giveRole(admin: Person, account: Account, role: 'agent' | 'moderator') {
  const html = await (await admin.api.get(`/admin/users?q=${account.username}`)).text();
  const userId = /name="userId" value="(\d+)"/.exec(html)?.[1];
  if (!userId) throw new Error(`no user id for ${account.username}`);
  await postForm(admin.api, '/admin/users', { userId, role });
}

type Desk = {
  asker: Person;
  answerer: Person;
  reader: Person;
  moderator: Person;
  agent: Person;
  threadPath: string;
  answerText: string;
  subject: string;
};

let desk: Desk;

test.beforeAll(async ({ browser, server }) => {
  const baseURL = server.url;
  const admin = await person(browser, baseURL, adminAccount, true);
  const [asker, answerer, reader, moderator, agent] = await Promise.all(
    ['kbasker', 'kbanswerer', 'kbreader', 'kbmod', 'kbagent'].map((prefix) =>
      person(browser, baseURL, newAccount(prefix)),
    ),
  );
  await giveRole(admin, moderator!.account, 'moderator');
  await giveRole(admin, agent!.account, 'agent');
  await admin.page.context().close();

  const stamp = Date.now().toString(36);
  const asked = await postForm(asker!.api, '/questions/ask', {
    title: `Bank feed imports every transaction twice ${stamp}`,
    body: 'Since Monday each card payment shows up two times in the bank feed.',
    tags: '',
    categoryId: '',
    journeyStage: '',
  });
  const threadPath = new URL(asked.headers()['location'] ?? '', baseURL).pathname;
  const answerText = `Disconnect the old card feed under Banking, then import again ${stamp}.`;
  await postForm(answerer!.api, threadPath, { intent: 'answer', body: answerText });

  const subject = `Card payments arrive twice in the bank feed ${stamp}`;
  await postForm(asker!.api, '/requests/new', {
    subject,
    body: 'The feed doubles every card payment since Monday.',
    categoryId: '',
  });
  desk = {
    asker: asker!,
    answerer: answerer!,
    reader: reader!,
    moderator: moderator!,
    agent: agent!,
    threadPath,
    answerText,
    subject,
  };
});

test.afterAll(async () => {
  if (!desk) return;
  await Promise.all(
    [desk.asker, desk.answerer, desk.reader, desk.moderator, desk.agent].map((one) =>
      one.page.context().close(),
    ),
  );
});

function answerOn(page: Page) {
  return page.getByRole('article', { name: /Answer by/ }).filter({ hasText: desk.answerText });
}

test('a member upvotes an answer with the keyboard alone', async () => {
  const { page } = desk.reader;
  await page.goto(desk.threadPath);
  const answer = answerOn(page);
  await expect(answer.getByLabel('Score 0')).toBeVisible();
  const upvote = answer.getByRole('button', { name: 'Upvote this answer' });
  await tabTo(page, upvote);
  await page.keyboard.press('Enter');
  await expect(answer.getByLabel('Score 1')).toBeVisible();
  await expect(upvote).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(answerOn(page).getByLabel('Score 1')).toBeVisible();
});

test('the asker accepts an answer with the keyboard alone', async () => {
  const { page } = desk.asker;
  await page.goto(desk.threadPath);
  const answer = answerOn(page);
  await tabTo(page, answer.getByRole('button', { name: 'Accept this answer' }));
  await page.keyboard.press('Space');
  await expect(answerOn(page).getByText('Accepted answer', { exact: true })).toBeVisible();
  await expect(answerOn(page).getByRole('button', { name: 'Withdraw acceptance' })).toBeVisible();
});

test('a member flags an answer with the keyboard alone, and moderators see the reason', async () => {
  const { page, account } = desk.reader;
  await page.goto(desk.threadPath);
  const answer = answerOn(page);
  const flag = answer.locator('summary').filter({ hasText: /^Flag$/ });
  await tabTo(page, flag);
  await page.keyboard.press('Enter');
  const spam = answer.getByRole('radio', { name: 'Spam' });
  await tabTo(page, spam);
  // Arrows move through a radio group and choose as they go.
  await page.keyboard.press('ArrowDown');
  const rude = answer.getByRole('radio', { name: 'Rude or abusive' });
  await expect(rude).toBeChecked();
  await expect(rude).toBeFocused();
  await tabAndType(page, answer.getByLabel('Details'), 'Calls the asker names in the last line.');
  await tabTo(page, answer.getByRole('button', { name: 'Flag for moderators' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('a moderator will review it');

  await desk.moderator.page.goto('/mod/queue');
  const item = desk.moderator.page
    .getByRole('listitem')
    .filter({ hasText: desk.answerText })
    .first();
  await expect(item).toContainText(`Rude or abusive by ${account.username}`);
  await expect(item).toContainText('Calls the asker names in the last line.');
});

test('an agent opens a ticket, replies and sets its status with the keyboard alone', async () => {
  const { page } = desk.agent;
  await page.goto('/agent/tickets');
  await tabTo(page, page.getByRole('link', { name: desk.subject }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: desk.subject })).toBeVisible();

  const reply =
    'Disconnect the old card feed under Banking; the next import has each payment once.';
  await tabAndType(page, page.getByLabel('Message'), reply);
  const thenSet = page.getByLabel('Then set to');
  await tabTo(page, thenSet);
  await page.keyboard.press('ArrowDown');
  await expect(thenSet).toHaveValue('open');
  await tabTo(page, page.getByRole('button', { name: 'Send public reply' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listitem').filter({ hasText: reply })).toBeVisible();
  const status = page.locator('.thread-facts .status');
  await expect(status).toHaveText('Open');

  const properties = page.getByRole('region', { name: 'Properties' });
  const statusField = properties.getByLabel('Status', { exact: true });
  await tabTo(page, statusField);
  await page.keyboard.press('ArrowDown');
  await expect(statusField).toHaveValue('pending');
  const statusForm = properties
    .locator('form')
    .filter({ has: page.getByRole('combobox', { name: 'Status', exact: true }) });
  await tabTo(page, statusForm.getByRole('button', { name: 'Set' }));
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Pending');

  // The customer sees the reply, and that it waits on them.
  await desk.asker.page.goto('/requests');
  await expect(desk.asker.page.getByRole('row', { name: new RegExp(desk.subject) })).toContainText(
    'Awaiting your reply',
  );
});
