import { getConfig } from '~/utils/config.server';
import { renderMarkdown } from '~/utils/markdown.server';
import { siteUrl } from './config.server';

/**
 * Every mail's look: the site's name and colours, a title, paragraphs, an optional quoted
 * Markdown body (rendered through the same sanitizer as the site), one button to the page, and a
 * footer. Both parts are built from the same pieces, so the plain-text part says what the HTML does.
 */

export type MailContent = {
  title: string;
  /** Plain text; escaped in the HTML part. */
  paragraphs: string[];
  /** Markdown someone wrote (a reply, an answer): rendered and sanitized, quoted in the mail. */
  markdown?: string | null;
  /** Pages worth reading, under a heading (relative URLs are made absolute). */
  links?: { heading: string; items: { label: string; url: string }[] } | null;
  /** A link to the page; relative URLs are made absolute. */
  action?: { label: string; url: string } | null;
  /** Small print under the message (why they got it). */
  footer?: string | null;
  /**
   * A notification's one-click unsubscribe link (absolute): shown under the footer with a link to
   * the notification settings, since many mail clients do not show List-Unsubscribe.
   */
  unsubscribeUrl?: string | null;
};

const colours = {
  accent: '#3b5bdb',
  text: '#1c2230',
  muted: '#5b6475',
  border: '#dfe3ea',
  background: '#f7f8fa',
};

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A site path or URL made absolute, for links that must work from a mail client. */
export function absoluteUrl(url: string, base = siteUrl()): string {
  return url.startsWith('/') ? `${base}${url}` : url;
}

function absoluteLinks(html: string, base: string): string {
  return html.replace(/(href|src)="\/(?!\/)/g, `$1="${base}/`);
}

export function renderMail(content: MailContent): { text: string; html: string } {
  const siteName = getConfig().SITE_NAME;
  const base = siteUrl();
  const actionUrl = content.action ? absoluteUrl(content.action.url, base) : null;
  const quoted = content.markdown ? renderMarkdown(content.markdown).html : null;
  const settingsUrl = `${base}/settings/notifications`;

  const text = [
    content.title,
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(content.markdown
      ? [
          content.markdown
            .trim()
            .split('\n')
            .map((line) => `> ${line}`)
            .join('\n'),
          '',
        ]
      : []),
    ...(content.links?.items.length
      ? [
          content.links.heading,
          ...content.links.items.map((item) => `- ${item.label}: ${absoluteUrl(item.url, base)}`),
          '',
        ]
      : []),
    ...(content.action && actionUrl ? [`${content.action.label}: ${actionUrl}`, ''] : []),
    '-- ',
    siteName,
    ...(content.footer ? [content.footer] : []),
    ...(content.unsubscribeUrl
      ? [
          `Unsubscribe from these mails: ${content.unsubscribeUrl}`,
          `Notification settings: ${settingsUrl}`,
        ]
      : []),
  ].join('\n');

  const paragraphStyle = `margin:0 0 14px;line-height:1.5;color:${colours.text}`;
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(content.title)}</title></head>`,
    `<body style="margin:0;padding:24px 12px;background:${colours.background};font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif">`,
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid ${colours.border};border-radius:10px;overflow:hidden">`,
    `<div style="background:${colours.accent};color:#ffffff;padding:14px 20px;font-weight:600;font-size:16px">${escapeHtml(siteName)}</div>`,
    '<div style="padding:20px">',
    `<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3;color:${colours.text}">${escapeHtml(content.title)}</h1>`,
    ...content.paragraphs.map(
      (paragraph) => `<p style="${paragraphStyle}">${escapeHtml(paragraph)}</p>`,
    ),
    ...(quoted
      ? [
          `<div style="margin:0 0 16px;padding:4px 14px;border-left:3px solid ${colours.accent};color:${colours.text};line-height:1.5">${absoluteLinks(quoted, base)}</div>`,
        ]
      : []),
    ...(content.links?.items.length
      ? [
          `<p style="${paragraphStyle};font-weight:600">${escapeHtml(content.links.heading)}</p>`,
          `<ul style="margin:0 0 16px;padding-left:20px;line-height:1.6">`,
          ...content.links.items.map(
            (item) =>
              `<li><a href="${escapeHtml(absoluteUrl(item.url, base))}" style="color:${colours.accent}">${escapeHtml(item.label)}</a></li>`,
          ),
          '</ul>',
        ]
      : []),
    ...(content.action && actionUrl
      ? [
          `<p style="margin:20px 0 4px"><a href="${escapeHtml(actionUrl)}" style="display:inline-block;background:${colours.accent};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:8px;font-weight:600">${escapeHtml(content.action.label)}</a></p>`,
        ]
      : []),
    '</div>',
    ...(content.footer || content.unsubscribeUrl
      ? [
          `<div style="padding:12px 20px;border-top:1px solid ${colours.border};font-size:12px;color:${colours.muted};line-height:1.5">`,
          content.footer ? escapeHtml(content.footer) : '',
          content.unsubscribeUrl
            ? `<div style="margin-top:6px"><a href="${escapeHtml(content.unsubscribeUrl)}" style="color:${colours.muted}">Unsubscribe from these mails</a> · <a href="${escapeHtml(settingsUrl)}" style="color:${colours.muted}">Notification settings</a></div>`
            : '',
          '</div>',
        ]
      : []),
    '</div></body></html>',
  ].join('');

  return { text, html };
}
