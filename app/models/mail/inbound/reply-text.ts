/**
 * What a person just wrote in a reply: their text above the quoted history and the signature.
 * Works on the Markdown of a mail body (plain text, or HTML already turned into Markdown), where
 * a quoted line starts with ">" and a ">" the person typed is escaped as "\>".
 */

// Attribution, header and signature lines are short; a longer line is a paragraph, and is not
// run through the patterns below (some take time in proportion to the square of its length).
const longestMarkerLine = 1000;

/** A line as a person reads it: link syntax, Markdown escapes and emphasis marks taken away. */
function plain(line: string): string {
  if (line.length > longestMarkerLine) return '';
  return line
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\*+/g, '')
    .trim();
}

function isQuote(line: string): boolean {
  return /^ {0,3}>/.test(line);
}

function isBlank(line: string | undefined): boolean {
  return !line?.trim();
}

// "On Tue, 3 Dec 2026 at 10:04, Help Center <reply+…@…> wrote:" (Gmail), "On 3 Dec 2026, at
// 10:04, Name <addr> wrote:" (Apple Mail), "On 12/3/26 10:04 AM, Name wrote:" (Thunderbird), and
// the same lines of the clients in German, French, Spanish, Dutch and Italian.
const ATTRIBUTION_START = /^(?:On|Am|Le|El|Op|Il giorno)\s/i;
const ATTRIBUTION = [
  /^On\s.{4,}\swrote\s?:$/i,
  /^Am\s.{4,}\sschrieb\s.{0,200}:$/i,
  /^Le\s.{4,}\sa écrit\s?:$/i,
  /^El\s.{4,}\sescribió\s?:$/i,
  /^Op\s.{4,}\sschreef\s.{0,200}:$/i,
  /^Il giorno\s.{4,}\sha scritto\s?:$/i,
];

/**
 * How many lines (1 to 3: Gmail wraps a long one) the attribution line starting at `at` takes,
 * or 0. It names a date, so it has a digit, and quoted lines (or nothing) follow it: a person's
 * "On Monday my colleague wrote:" followed by their own text stays.
 */
function attributionLength(lines: readonly string[], at: number): number {
  if (!ATTRIBUTION_START.test(plain(lines[at] ?? ''))) return 0;
  let joined = '';
  for (let count = 1; count <= 3; count++) {
    const line = lines[at + count - 1];
    if (line === undefined || isBlank(line) || isQuote(line)) return 0;
    joined = joined ? `${joined} ${plain(line)}` : plain(line);
    if (/\d/.test(joined) && ATTRIBUTION.some((pattern) => pattern.test(joined))) {
      let next = at + count;
      while (next < lines.length && isBlank(lines[next])) next++;
      return next === lines.length || isQuote(lines[next] ?? '') ? count : 0;
    }
  }
  return 0;
}

const ORIGINAL_MESSAGE =
  /^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Mensaje original|Forwarded message|Weitergeleitete Nachricht|Message transféré)\s*-{2,}$/i;
// Outlook draws a line of underscores above the quoted message's header block.
const UNDERSCORES = /^_{8,}$/;
const HEADER_FROM = /^(?:From|Von|De|Van|Da|Från|Fra)\s?:\s*\S/i;
const HEADER_SENT =
  /^(?:Sent|Date|Gesendet|Datum|Envoyé|Date d'envoi|Verzonden|Inviato|Enviado|Skickat|Sendt)\s?:\s*\S/i;
const HEADER_BLOCK_IN_ONE_LINE = /^From\s?:.+\s(?:Sent|Date)\s?:.+\sSubject\s?:/i;

/** Where Outlook (and a forward) starts the history: its separator or its From/Sent block. */
function startsHistory(lines: readonly string[], at: number): boolean {
  const line = plain(lines[at] ?? '');
  if (ORIGINAL_MESSAGE.test(line) || UNDERSCORES.test(line)) return true;
  if (HEADER_BLOCK_IN_ONE_LINE.test(line)) return true;
  if (!HEADER_FROM.test(line)) return false;
  for (let next = at + 1; next <= at + 3 && !isBlank(lines[next]); next++) {
    if (HEADER_SENT.test(plain(lines[next] ?? ''))) return true;
  }
  return false;
}

// "-- " opens a signature (RFC 3676); clients and the HTML conversion often drop its space.
const SIGNATURE = /^--$/;
const SENT_FROM =
  /^(?:Sent from (?:my |Mail for |Outlook|Yahoo Mail)|Get Outlook for |Von meinem .{1,40} gesendet|Envoyé de mon |Enviado desde mi |Verzonden (?:vanaf|met) (?:mijn )?|Inviato da )/i;

function startsSignature(line: string): boolean {
  const text = plain(line);
  return SIGNATURE.test(text) || (text.length <= 80 && SENT_FROM.test(text));
}

/** The lines without the blank lines and rules (---, ___) left at either end. */
function tidy(lines: readonly string[]): string {
  let end = lines.length;
  while (
    end > 0 &&
    (isBlank(lines[end - 1]) || /^(?:[-_*=]\s*){3,}$/.test(plain(lines[end - 1] ?? '')))
  ) {
    end--;
  }
  let start = 0;
  while (start < end && isBlank(lines[start])) start++;
  return lines
    .slice(start, end)
    .join('\n')
    .replace(/[ \t]+$/, '');
}

/**
 * An answer written between the quoted lines: everything that is not quote, attribution,
 * signature or history, with the gaps the quotes leave closed up.
 */
function interleavedText(lines: readonly string[]): string {
  const kept: string[] = [];
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at] ?? '';
    if (startsSignature(line) || startsHistory(lines, at)) break;
    if (isQuote(line)) continue;
    const attribution = attributionLength(lines, at);
    if (attribution > 0) {
      at += attribution - 1;
      continue;
    }
    if (isBlank(line) && isBlank(kept.at(-1))) continue;
    kept.push(line);
  }
  return tidy(kept);
}

/**
 * The new text of a reply: without the quoted history (as Gmail, Outlook, Apple Mail and
 * Thunderbird quote it) and without a signature ("-- ", "Sent from my iPhone", "Get Outlook for
 * iOS"). Line breaks stay as the person wrote them. '' when the mail holds nothing but quote.
 */
export function newTextOfReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const end = lines.findIndex(
    (line, at) =>
      isQuote(line) ||
      startsSignature(line) ||
      startsHistory(lines, at) ||
      attributionLength(lines, at) > 0,
  );
  if (end === -1) return tidy(lines);
  // Text above the first quote is a reply on top; none means the answer is between the quotes.
  return tidy(lines.slice(0, end)) || interleavedText(lines);
}
