import { isHttpsSite } from '~/utils/config.server';

/** A cookie's value from the request, or null. */
export function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}

/** An HttpOnly, SameSite=Lax cookie for the whole site (Secure on an https site); 0 clears it. */
export function httpOnlyCookie(name: string, value: string, maxAgeSeconds: number): string {
  const secure = isHttpsSite() ? '; Secure' : '';
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}
