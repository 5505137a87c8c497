import type { ActionFunctionArgs } from '@remix-run/node';
import { requireApiAccess } from '~/api/access.server';
import { apiError, apiJson, methodNotAllowed } from '~/api/respond.server';
import { receiveMail } from '~/models/mail/inbound/receive.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';

export function loader() {
  return methodNotAllowed('POST');
}

/**
 * POST /api/v1/inbound-email: a message as received (RFC 822 bytes), from a relay that posts mail
 * over HTTP instead of delivering it by SMTP. `?to=` (repeatable) and `?from=` carry the envelope
 * when the relay knows it; without `to`, the message's own To and Cc are read.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed('POST');
  const denied = await requireApiAccess(request, 'receiveMail').then(
    () => null,
    (refusal: unknown) => refusal,
  );
  if (denied) {
    // NOTE: answered before its body was read, a relay still sending megabytes of mail would see
    // the connection reset instead of the 401 or 403. The body is bounded by INBOUND_MAX_BYTES.
    await request.arrayBuffer().catch(() => undefined);
    throw denied;
  }
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('message/rfc822'))
    return apiError(
      415,
      'unsupported_media_type',
      'Send the message as it was received, with Content-Type: message/rfc822.',
    );
  const raw = Buffer.from(await request.arrayBuffer());
  const maxBytes = getConfig().INBOUND_MAX_BYTES;
  if (raw.length > maxBytes)
    return apiError(413, 'payload_too_large', `A message can be at most ${maxBytes} bytes.`);
  const url = new URL(request.url);
  const received = await receiveMail(getDb(), raw, {
    via: 'http',
    envelopeFrom: url.searchParams.get('from'),
    recipients: url.searchParams.getAll('to'),
  });
  if (received.outcome === 'rejected')
    return apiError(422, 'unreadable_mail', received.reason ?? 'The message could not be read.');
  return apiJson({
    id: received.id,
    outcome: received.outcome,
    reason: received.reason,
    ticket_id: received.ticketId,
  });
}
