import { z } from 'zod';

/**
 * What the sent and the received email logs are filtered by, read from the page's address: an
 * address typed in, one of the log's own choices (`all` when missing or unknown) and a page.
 */
export function readLogFilter<Choice extends string>(
  url: string,
  name: string,
  choices: readonly [Choice, ...Choice[]],
) {
  const params = new URL(url).searchParams;
  return z
    .object({
      address: z.string().trim().max(254).catch(''),
      choice: z.enum(choices).catch('all' as Choice),
      page: z.coerce.number().int().min(1).max(10_000).catch(1),
    })
    .parse({
      address: params.get('address') ?? '',
      choice: params.get(name) ?? 'all',
      page: params.get('page') ?? 1,
    });
}
