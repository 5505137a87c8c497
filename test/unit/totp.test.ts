import { describe, expect, test } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchingStep,
  newTotpSecret,
  otpauthUri,
  timeStep,
  totp,
} from '~/utils/totp.server';

const rfcKey = (length: number) =>
  Buffer.from('1234567890'.repeat(Math.ceil(length / 10)).slice(0, length), 'ascii');

describe('HOTP (RFC 4226)', () => {
  test('gives the codes of Appendix D for counters 0 to 9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(rfcKey(20), counter))).toEqual(expected);
  });
});

describe('TOTP (RFC 6238)', () => {
  // Appendix B: eight digits, each algorithm with its own seed length.
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  test.each(vectors)('at %i s gives the codes of Appendix B', (seconds, sha1, sha256, sha512) => {
    const at = new Date(seconds * 1000);
    expect(totp(rfcKey(20), at, 8, 'sha1')).toBe(sha1);
    expect(totp(rfcKey(32), at, 8, 'sha256')).toBe(sha256);
    expect(totp(rfcKey(64), at, 8, 'sha512')).toBe(sha512);
  });

  test('a code is accepted one step either side of now and no further', () => {
    const secret = newTotpSecret();
    const key = base32Decode(secret);
    const now = new Date('2026-12-16T09:00:10Z');
    const step = timeStep(now);
    const codeAt = (offset: number) => hotp(key, step + offset);
    expect(matchingStep(secret, codeAt(0), now)).toBe(step);
    expect(matchingStep(secret, codeAt(-1), now)).toBe(step - 1);
    expect(matchingStep(secret, codeAt(1), now)).toBe(step + 1);
    for (const offset of [-3, -2, 2, 3]) {
      const code = codeAt(offset);
      // A six-digit code can repeat within the window by chance; only a unique one says anything.
      if ([-1, 0, 1].some((near) => codeAt(near) === code)) continue;
      expect(matchingStep(secret, code, now)).toBeNull();
    }
  });

  test('anything but six digits never matches', () => {
    const secret = newTotpSecret();
    const now = new Date();
    const code = totp(base32Decode(secret), now);
    for (const attempt of [` ${code}`, `${code}0`, code.slice(1), '', 'abcdef', '１２３４５６']) {
      expect(matchingStep(secret, attempt, now)).toBeNull();
    }
  });
});

describe('secrets', () => {
  test('are 20 random bytes in base32, and base32 goes both ways', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
    // RFC 4648 section 10.
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw6ytboi======').toString()).toBe('foobar');
    expect(() => base32Decode('not base32!')).toThrow();
  });

  test('the otpauth address names the issuer and account, escaped', () => {
    expect(otpauthUri('Commons', 'ada lovelace', 'JBSWY3DPEHPK3PXP')).toBe(
      'otpauth://totp/Commons:ada%20lovelace?secret=JBSWY3DPEHPK3PXP&issuer=Commons',
    );
  });
});
