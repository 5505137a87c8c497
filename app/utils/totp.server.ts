import crypto from 'node:crypto';
import QRCode from 'qrcode';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps compute
 * them: HMAC-SHA1 of the 30-second step, six digits. Written here with node:crypto because it is
 * forty lines and every line can be checked against the RFCs' test vectors
 * (docs/decisions/024-two-factor.md).
 */

export const totpStepSeconds = 30;
export const totpDigits = 6;
/** Codes of the step before and after now are accepted too: phone clocks drift. */
const acceptedDrift = 1;

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, the form authenticator apps take secrets in. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and padding; throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = base32Alphabet.indexOf(char);
    if (index === -1) throw new Error('not base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** RFC 4226: the code for one counter value. */
export function hotp(
  key: Buffer,
  counter: number,
  digits = totpDigits,
  algorithm: OtpAlgorithm = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algorithm, key).update(message).digest();
  // Dynamic truncation: four bytes from the offset the last nibble names, top bit cleared.
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step a moment falls in (RFC 6238's T, with T0 = 0). */
export function timeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / totpStepSeconds);
}

/** RFC 6238: the code of the step `at` falls in. */
export function totp(
  key: Buffer,
  at: Date,
  digits = totpDigits,
  algorithm: OtpAlgorithm = 'sha1',
): string {
  return hotp(key, timeStep(at), digits, algorithm);
}

/** A new secret: 20 random bytes (HMAC-SHA1's own size, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  return base32Encode(crypto.randomBytes(20));
}

/**
 * The step whose code this is, looking one step either side of now, or null. The caller refuses
 * a step that was used already, so a code seen over a shoulder cannot be used a second time.
 */
export function matchingStep(secret: string, code: string, now = new Date()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secret);
  const current = timeStep(now);
  let match: number | null = null;
  // Every candidate is computed and compared in constant time, so timing tells nothing.
  for (let step = current - acceptedDrift; step <= current + acceptedDrift; step += 1) {
    const expected = Buffer.from(hotp(key, step));
    if (crypto.timingSafeEqual(expected, Buffer.from(code)) && match === null) match = step;
  }
  return match;
}

/** The otpauth:// address an authenticator app reads from the QR code (Key Uri Format). */
export function otpauthUri(issuer: string, accountName: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = new URLSearchParams({ secret, issuer });
  return `otpauth://totp/${label}?${query}`;
}

/** The otpauth URI as a QR code (a PNG data URL) for an authenticator app to scan. */
export function qrCodeOf(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { margin: 1, width: 220 });
}
