import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import type * as Axe from 'axe-core';
import { expect, test } from './support/fixtures';
import { makeHelpCenter, type HelpCenter } from './support/help-center';

// Every main page, for every role, in the light and the dark colour scheme, audited in the browser
// by the accessibility rules engine: one serious or critical violation fails the role's test.

declare global {
  interface Window {
    axe: typeof Axe;
  }
}

const axeSource = fs.readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

type Role = 'visitor' | 'member' | 'agent' | 'moderator' | 'admin';
const roles: Role[] = ['visitor', 'member', 'agent', 'moderator', 'admin'];
const colorSchemes = ['light', 'dark'] as const;
const failingImpacts = ['serious', 'critical'];

type Violation = { id: string; impact: string | null; help: string; targets: string[] };

/** Loads the rules engine into the page's document (once per document). */
async function loadAxe(page: Page) {
  // NOTE: the app's Content-Security-Policy refuses a script tag without its nonce; code evaluated
  // through the browser's debugging protocol is not subject to it.
  await page.evaluate(axeSource);
}

/** What the rules engine finds wrong with the page as it looks now. */
async function violationsOn(page: Page): Promise<Violation[]> {
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}

/** One line a person can act on: rule, impact, page, scheme and the elements. */
function describeViolation(violation: Violation, path: string, colorScheme: string): string {
  const shown = violation.targets.slice(0, 20).join(' | ');
  const more = violation.targets.length > 20 ? ` | … ${violation.targets.length - 20} more` : '';
  return `${violation.id} (${violation.impact}) on ${path} [${colorScheme}]: ${violation.help}; ${violation.targets.length} element(s): ${shown}${more}`;
}

function pagesFor(role: Role, site: HelpCenter): string[] {
  const everyone = [
    '/',
    '/kb',
    site.articlePath,
    '/questions',
    '/questions?tab=unanswered',
    site.threadPath,
    `/search?q=${site.word}`,
    `/categories/${site.categorySlug}`,
    `/tags/${site.tag}`,
    '/known-issues',
    site.knownIssuePath,
    `/users/${site.member.username}`,
  ];
  switch (role) {
    case 'visitor':
      return [...everyone, '/login', '/signup', '/forgot-password'];
    case 'member':
      // The public pages again where a member's controls change them, then a member's own.
      return [
        '/',
        '/questions',
        site.threadPath,
        site.articlePath,
        `/search?q=${site.word}`,
        site.knownIssuePath,
        '/questions/ask',
        '/requests/new',
        '/requests',
        site.requestPath,
        '/notifications',
        '/settings/account',
        '/settings/notifications',
        '/settings/security',
      ];
    case 'agent':
      return [
        site.threadPath,
        site.articlePath,
        '/agent/tickets',
        site.ticketPath,
        '/agent/gaps',
        '/agent/reports',
        '/agent/problems',
        site.problemPath,
        '/agent/articles',
        '/agent/articles/new',
        site.articleEditPath,
        '/agent/macros',
      ];
    case 'moderator':
      return [site.threadPath, '/mod/queue', '/mod/log', site.moderatorUserPath];
    case 'admin':
      return [
        '/admin',
        '/admin/users',
        '/admin/categories',
        site.categoryEditPath,
        '/admin/organizations',
        '/admin/groups',
        '/admin/moderation',
        '/admin/api-tokens',
        '/admin/webhooks',
        '/admin/email',
        '/admin/sign-in',
        '/admin/sla',
        '/admin/ticket-fields',
        '/admin/search',
        '/admin/uploads',
      ];
  }
}

let site: HelpCenter;

test.beforeAll(async ({ browser, server }) => {
  // NOTE: five people fill the help center through its forms: 27 s on a 2-CPU machine with a
  // little else running, twice that while a CI run shares it.
  test.setTimeout(120_000);
  site = await makeHelpCenter(browser, server.url);
});

for (const role of roles) {
  test(`every page the ${role} sees passes the accessibility audit, light and dark`, async ({
    browser,
    baseURL,
  }) => {
    // NOTE: up to 15 pages, each loaded once and audited in both schemes: 15 s on a 2-CPU machine
    // with a little else running, 45 s while a CI run shares it.
    test.setTimeout(90_000);
    const storageState = role === 'visitor' ? undefined : site.sessions[role];
    const context = await browser.newContext({ baseURL, storageState });
    try {
      const page = await context.newPage();
      const failures: string[] = [];
      for (const path of pagesFor(role, site)) {
        await page.emulateMedia({ colorScheme: colorSchemes[0] });
        const response = await page.goto(path);
        expect(response?.status(), `${path} opens for the ${role}`).toBeLessThan(400);
        // A lost session would audit the sign-in page instead, by redirect.
        expect(new URL(page.url()).pathname).toBe(new URL(path, baseURL).pathname);
        await loadAxe(page);
        // Nothing on the server or in scripts depends on the scheme, only the style sheets: the
        // same document is audited in each, switched by the browser's media emulation.
        for (const colorScheme of colorSchemes) {
          await page.emulateMedia({ colorScheme });
          for (const violation of await violationsOn(page)) {
            if (failingImpacts.includes(violation.impact ?? ''))
              failures.push(describeViolation(violation, path, colorScheme));
          }
        }
      }
      expect(failures, `serious or critical violations on the ${role}'s pages`).toEqual([]);
    } finally {
      await context.close();
    }
  });
}
