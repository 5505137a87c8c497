import type { LoaderFunctionArgs } from '@remix-run/node';
import { openApiDocument } from '~/api/openapi';
import { getConfig } from '~/utils/config.server';

/** GET /api/v1/openapi.json: the API's OpenAPI 3.1 description (no token needed). */
export function loader({ request }: LoaderFunctionArgs) {
  const origin = getConfig().PUBLIC_URL ?? new URL(request.url).origin;
  return Response.json(openApiDocument(origin), {
    headers: { 'Cache-Control': 'public, max-age=300' },
  });
}
