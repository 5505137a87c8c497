export type PersonalDataKind = 'email' | 'phone' | 'mention' | 'secret-url';

export type PersonalDataFinding = { kind: PersonalDataKind; text: string };

// Query parameters that carry credentials or one-time links.
const secretParams =
  /[?&](?:token|access_token|auth|key|api_key|apikey|sig|signature|session|password|code|secret)=/i;

const patterns: { kind: PersonalDataKind; pattern: RegExp }[] = [
  { kind: 'secret-url', pattern: /https?:\/\/[^\s<>()"'\]]+/g },
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // Numbers written like phone numbers: +44 20 7946 0958, (555) 010-4477, 555-010-4477.
  {
    kind: 'phone',
    pattern:
      /(?<![\w/.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{0,4}(?![\w/.-])/g,
  },
  { kind: 'mention', pattern: /(?<![\w@.])@[A-Za-z0-9][A-Za-z0-9_.-]{2,29}(?<![.-])/g },
];

function isPhoneLike(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  return digits.length >= 9 && digits.length <= 15;
}

/**
 * Personal data in text about to be published: email addresses, phone numbers, @mentions and
 * URLs that carry tokens. Each finding once, in order of appearance.
 */
export function findPersonalData(text: string): PersonalDataFinding[] {
  const found: { kind: PersonalDataKind; text: string; index: number }[] = [];
  const taken: [number, number][] = [];
  for (const { kind, pattern } of patterns) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (taken.some(([from, to]) => start < to && end > from)) continue;
      if (kind === 'secret-url' && !secretParams.test(match[0])) continue;
      if (kind === 'phone' && !isPhoneLike(match[0])) continue;
      taken.push([start, end]);
      found.push({ kind, text: match[0].trim(), index: start });
    }
  }
  const unique = new Map<string, PersonalDataFinding>();
  for (const finding of found.sort((a, b) => a.index - b.index)) {
    unique.set(`${finding.kind}:${finding.text}`, { kind: finding.kind, text: finding.text });
  }
  return [...unique.values()];
}

const replacements: Record<PersonalDataKind, (text: string) => string> = {
  email: () => '[email removed]',
  phone: () => '[phone number removed]',
  mention: (text) => text.slice(1),
  'secret-url': (text) => text.split('?')[0] ?? text,
};

/** The text with every finding replaced: emails and phones removed, mentions unlinked, tokens cut from URLs. */
export function stripPersonalData(text: string): string {
  let result = text;
  for (const finding of findPersonalData(text)) {
    result = result.split(finding.text).join(replacements[finding.kind](finding.text));
  }
  return result;
}

export const personalDataLabels: Record<PersonalDataKind, string> = {
  email: 'Email address',
  phone: 'Phone number',
  mention: 'Mention of a person',
  'secret-url': 'Link with a token or key',
};
