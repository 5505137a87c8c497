// What Markdown means as safe HTML and as plain text. The app renders pages with it and the
// search documents index its text, so it sits below both and imports nothing of ours.
import hljs from 'highlight.js';
import { Marked, type Token, type TokenizerAndRendererExtension } from 'marked';
import sanitizeHtml from 'sanitize-html';

export type RenderedMarkdown = { html: string; mentions: string[] };

/**
 * An image among the site's own uploads, as pages show it: the size to reserve (the display
 * version's when there is one) and whether `?size=display` serves a smaller copy.
 */
export type UploadImage = { width: number; height: number; display: boolean };

// "@" + a letter or digit + name characters; a trailing dot or dash is punctuation, not name.
const MENTION = /^@([a-z0-9][\w.-]*)/i;
// An "@" glued to the text before it belongs to an email address or a URL.
const GLUED_TO_WORD = /[\w.+@/\\-]$/;
const WEB_URL = /^(?:https?:|mailto:)/i;
// "//host" and "/\host" leave the site, so only a single leading slash counts as local.
const LOCAL_URL = /^(?:\/(?![/\\])|#)/;
const IMAGE_URL = /^https?:\/\//i;
// An uploaded file's address, as the upload model writes it: /uploads/<16-character id>/<name>.
const UPLOAD_URL = /^\/uploads\/([A-Za-z0-9_-]{16})\/[\w.-]+$/;
const EXTERNAL_REL = 'nofollow ugc noopener';

const mention: TokenizerAndRendererExtension = {
  name: 'mention',
  level: 'inline',
  // Only stop the text scanner at an "@" that can start a mention: stopping inside an email
  // address would hide it from GFM's email autolinking.
  start: (src) => src.search(/(?<![\w.+@/\\-])@[a-z0-9]/i),
  tokenizer(src, tokens) {
    const name = MENTION.exec(src)?.[1]?.replace(/[.-]+$/, '');
    if (!name || name.length < 3 || name.length > 30) return undefined;
    // A mention inside link text would nest one link in another.
    if (this.lexer.state.inLink || GLUED_TO_WORD.test(tokens.at(-1)?.raw ?? '')) return undefined;
    return { type: 'mention', raw: `@${name}`, name };
  },
  // Always a link here; the sanitizer unwraps it unless the user exists (see sanitizerOptions).
  renderer({ name }) {
    const key = String(name).toLowerCase();
    return `<a href="/users/${encodeURIComponent(name)}" data-mention="${key}">@${name}</a>`;
  },
};

/** Marks images inside a link's text: those must not get a link of their own to the original. */
function markImagesInLinks(token: Token) {
  if (token.type !== 'link') return;
  const stack: Token[] = [...(token.tokens ?? [])];
  for (let child = stack.pop(); child; child = stack.pop()) {
    if (child.type === 'image') Object.assign(child, { inLink: true });
    if ('tokens' in child && Array.isArray(child.tokens)) stack.push(...(child.tokens as Token[]));
  }
}

const md = new Marked({
  gfm: true,
  extensions: [mention],
  walkTokens: markImagesInLinks,
  renderer: {
    // An uploaded image links to its original; the sanitizer below sizes it and picks the
    // display version. Any other image is left to the default.
    image(token) {
      if (!UPLOAD_URL.test(token.href) || 'inLink' in token) return false;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      const img = `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}"${title}>`;
      return `<a href="${escapeHtml(token.href)}">${img}</a>`;
    },
    heading({ tokens, depth }) {
      // The page owns the h1, and a deeper outline than h4 is noise in a post.
      const level = Math.min(Math.max(depth, 2), 4);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    code({ text, lang }) {
      const language = /^\S*/.exec(lang ?? '')?.[0] ?? '';
      // No auto-detection: guessing a language on prose-like snippets paints them at random.
      if (!hljs.getLanguage(language)) return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
      const { value } = hljs.highlight(text, { language, ignoreIllegals: true });
      const className = /^[\w-]+$/.test(language) ? `hljs language-${language}` : 'hljs';
      return `<pre><code class="${className}">${value}</code></pre>\n`;
    },
    // Raw HTML from the author is reduced to its text here, so that the final allowlist only ever
    // sees markup that Markdown itself produced (no forged mention links or heading ids).
    html: ({ text }) => sanitizeHtml(text, { allowedTags: [], allowedAttributes: {} }),
  },
});

function sanitizerOptions(
  mentionable: ReadonlySet<string>,
  linked: Set<string>,
  uploads: ReadonlyMap<string, UploadImage>,
): sanitizeHtml.IOptions {
  const align = { name: 'align', values: ['left', 'center', 'right'] };
  return {
    // prettier-ignore
    allowedTags: [
      'p', 'br', 'hr', 'h2', 'h3', 'h4', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote',
      'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'input',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'class'],
      img: ['src', 'alt', 'title', 'loading', 'width', 'height'],
      ol: ['start'],
      th: [align],
      td: [align],
      code: ['class'],
      span: ['class'],
      input: ['type', 'checked', 'disabled'],
    },
    allowedClasses: { a: ['mention'], code: ['hljs', /^language-[\w-]+$/], span: [/^hljs-/] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    // Attributes are rebuilt, not filtered, so an author cannot supply rel, class or loading.
    transformTags: {
      a(tagName, { href = '', title, 'data-mention': name }): sanitizeHtml.Tag {
        if (name !== undefined) {
          if (!mentionable.has(name)) return { tagName, attribs: {} };
          linked.add(name);
          return { tagName, attribs: { href, class: 'mention' } };
        }
        if (LOCAL_URL.test(href)) return { tagName, attribs: { href, ...titled(title) } };
        if (!WEB_URL.test(href)) return { tagName, attribs: {} };
        return { tagName, attribs: { href, ...titled(title), rel: EXTERNAL_REL } };
      },
      img(tagName, { src = '', alt = '', title }): sanitizeHtml.Tag {
        const uploadId = UPLOAD_URL.exec(src)?.[1];
        if (uploadId !== undefined) {
          const image = uploads.get(uploadId);
          if (!image) return { tagName, attribs: { src, alt, ...titled(title), loading: 'lazy' } };
          return {
            tagName,
            attribs: {
              src: image.display ? `${src}?size=display` : src,
              alt,
              ...titled(title),
              width: String(image.width),
              height: String(image.height),
              loading: 'lazy',
            },
          };
        }
        if (!IMAGE_URL.test(src)) return { tagName, attribs: {} };
        return { tagName, attribs: { src, alt, ...titled(title), loading: 'lazy' } };
      },
      input: (tagName, attribs) => ({
        tagName,
        attribs: { type: 'checkbox', disabled: '', ...('checked' in attribs && { checked: '' }) },
      }),
    },
    // A link that lost its href keeps its text; an image that lost its src has nothing to show.
    exclusiveFilter({ tag, attribs }) {
      if (tag === 'img') return !attribs.src;
      return tag === 'a' && !attribs.href ? 'excludeTag' : false;
    },
  };
}

function titled(title: string | undefined): sanitizeHtml.Attributes {
  return title ? { title } : {};
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// Enough for sanitize-html output, which only ever writes these entities.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const BLOCK_TAG =
  /<\/?(?:p|br|hr|h\d|blockquote|pre|ul|ol|li|table|thead|tbody|tr|th|td)\b[^>]*>/gi;

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (entity, name: string) => ENTITIES[name] ?? entity,
  );
}

/** Text of sanitized html: tags never contain a raw ">" there, so a regex is safe. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(BLOCK_TAG, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The address of the first image in HTML this module rendered: an upload's path (`/uploads/…`)
 * or an http(s) URL, the only sources the sanitizer keeps; null when there is none.
 */
export function firstImageSrc(html: string): string | null {
  const src = /<img\b[^>]*?\ssrc="([^"]+)"/.exec(html)?.[1];
  return src ? decodeEntities(src) : null;
}

/** Usernames written as @name in prose (not in code), lowercased, unique, in order. */
export function extractMentions(source: string): string[] {
  const names = new Set<string>();
  md.walkTokens(md.lexer(source), (token) => {
    if (token.type === 'mention' && typeof token.name === 'string') {
      names.add(token.name.toLowerCase());
    }
  });
  return [...names];
}

export type RenderOptions = {
  mentionable?: ReadonlySet<string>;
  /** Uploaded images by id: these are shown at their size (others on our site without one). */
  uploads?: ReadonlyMap<string, UploadImage>;
};

/**
 * Markdown -> sanitized HTML (no heading ids: the app adds those for its pages); only @mentions
 * of `mentionable` (lowercased) names become links.
 */
export function renderSafeHtml(source: string, options: RenderOptions = {}): RenderedMarkdown {
  const linked = new Set<string>();
  const unsafe = md.parse(source, { async: false });
  const html = sanitizeHtml(
    unsafe,
    sanitizerOptions(options.mentionable ?? new Set(), linked, options.uploads ?? new Map()),
  );
  return { html, mentions: [...linked] };
}

/** Plain text, whitespace collapsed, cut at a word boundary (with "…") to maxLength. */
export function markdownToText(source: string, maxLength = 160): string {
  return htmlToExcerpt(renderSafeHtml(source).html, maxLength);
}

/**
 * The text of HTML this module rendered (as stored beside its Markdown), whitespace collapsed
 * and cut at a word boundary (with "…") to maxLength: markdownToText without rendering again.
 */
export function htmlToExcerpt(html: string, maxLength = 160): string {
  return clipText(htmlToText(html), maxLength);
}

/** Plain text (a category's description), whitespace collapsed, cut like htmlToExcerpt. */
export function clipText(source: string, maxLength = 160): string {
  const text = source.replace(/\s+/g, ' ').trim();
  if (text.length <= maxLength) return text;
  const limit = Math.max(0, maxLength - 1); // room for the ellipsis
  // A space right at the limit is fine: the cut then falls between two whole words.
  const space = text.lastIndexOf(' ', limit);
  // One long word has no boundary to cut at; then at least don't split a surrogate pair.
  const cut =
    space > 0 ? text.slice(0, space) : text.slice(0, limit).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut.replace(/[\s,;:-]+$/, '')}…`;
}
