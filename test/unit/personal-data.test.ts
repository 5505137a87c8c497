import { describe, expect, test } from 'vitest';
import { findPersonalData, stripPersonalData } from '~/utils/personal-data';

describe('personal data in articles', () => {
  const text = [
    'Email jane.doe@brightside.example or call +44 20 7946 0958 (or (555) 010-4477).',
    'Thanks @priya.h for the tip.',
    'Reset link: https://app.ledgerly.example/reset?token=abc123 and docs at https://example.com/docs?page=2.',
    'Invoice INV-2024-0042 for 1,250.00 is due 2024-03-18.',
  ].join('\n');

  test('finds email addresses, phone numbers, mentions and URLs with tokens, nothing else', () => {
    expect(findPersonalData(text)).toEqual([
      { kind: 'email', text: 'jane.doe@brightside.example' },
      { kind: 'phone', text: '+44 20 7946 0958' },
      { kind: 'phone', text: '(555) 010-4477' },
      { kind: 'mention', text: '@priya.h' },
      { kind: 'secret-url', text: 'https://app.ledgerly.example/reset?token=abc123' },
    ]);
  });

  test('strips them on request and leaves the rest alone', () => {
    const stripped = stripPersonalData(text);
    expect(stripped).toContain(
      'Email [email removed] or call [phone number removed] (or [phone number removed]).',
    );
    expect(stripped).toContain('Thanks priya.h for the tip.');
    expect(stripped).toContain(
      'Reset link: https://app.ledgerly.example/reset and docs at https://example.com/docs?page=2.',
    );
    expect(stripped).toContain('Invoice INV-2024-0042 for 1,250.00 is due 2024-03-18.');
    expect(findPersonalData(stripped)).toEqual([]);
  });
});
