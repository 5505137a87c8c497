import type { LoaderFunctionArgs } from '@remix-run/node';
import { openApiDocument } from '~/api/openapi';
import { publicOrigin } from '~/utils/public-url.server';

/** GET /api/v1/openapi.json: the API's OpenAPI 3.1 description (no token needed). */
export function loader({ request }: LoaderFunctionArgs) {
  const origin = publicOrigin(request);
  return Response.json(openApiDocument(origin), {
    headers: { 'Cache-Control': 'public, max-age=300' },
  });
}
