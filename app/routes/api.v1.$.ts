import { apiError } from '~/api/respond.server';

/** Anything else under /api/v1 answers in JSON too. */
export function loader() {
  return apiError(404, 'not_found', 'There is no such API endpoint. See /api/v1/openapi.json.');
}

export const action = loader;
