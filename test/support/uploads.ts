import sharp from 'sharp';
import { sessionCookieFor, testContext } from './requests';
import type { RouteHandler } from './requests';

/** A screenshot-like PNG of the given size (flat colour with a stripe, so it compresses like one). */
export async function pngOf(width: number, height: number, colour = '#2f6fb0'): Promise<Buffer> {
  const stripe = await sharp({
    create: {
      width,
      height: Math.max(1, Math.floor(height / 10)),
      channels: 3,
      background: '#ffffff',
    },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .composite([{ input: stripe, top: 0, left: 0 }])
    .png()
    .toBuffer();
}

/** A JPEG carrying what a phone writes: camera make and model, a GPS position, a colour profile. */
export async function phoneJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 900, channels: 3, background: '#3a7d44' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Pocket 12', Software: 'Camera 1.0' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '52/1 31/1 12/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '13/1 24/1 36/1',
      },
    })
    .withIccProfile('p3')
    .toBuffer();
}

/** A multipart POST of files, as the editor's fetch or a form without JavaScript sends it. */
export async function multipartRequest(
  path: string,
  userId: number | null,
  fields: Record<string, string | File | File[]>,
): Promise<Request> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  const headers: Record<string, string> =
    userId === null ? {} : { Cookie: await sessionCookieFor(userId) };
  return new Request(`http://localhost${path}`, { method: 'POST', body, headers });
}

export function fileOf(bytes: Buffer, name: string, type = 'application/octet-stream'): File {
  return new File([new Uint8Array(bytes)], name, { type });
}

/** Runs a route handler with a request and returns the Response it returned or threw. */
export async function responseOf(
  handler: RouteHandler,
  request: Request,
  params: Record<string, string> = {},
) {
  try {
    const result = await handler({ request, params, context: testContext });
    if (!(result instanceof Response)) throw new Error('expected a Response');
    return result;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}
