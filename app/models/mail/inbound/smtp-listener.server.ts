import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Database } from '#db/client';
import { isOurAddress, receiveMail } from './receive.server';
import type { DNSResolver } from './sender-check.server';

type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export type InboundListener = { port: number; stop(): Promise<void> };

/** An SMTP reply: the code tells the sending server whether to try again (4xx) or give up (5xx). */
function smtpError(responseCode: number, message: string) {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The SMTP server that receives mail for the help center, for an MX record or a forwarder pointed
 * at it: it takes mail for support and reply addresses only, refuses mail over `maxBytes` (552)
 * and files each message with receiveMail once it has all of it. A message it cannot read is
 * refused with the reason (550); a failure of ours asks the sender to try later (451), so nothing
 * accepted is ever lost.
 */
export async function startInboundSmtp(
  db: Database,
  options: {
    port: number;
    host: string;
    maxBytes: number;
    log?: Log;
    /** DNS for the sender checks; the system's by default (tests give their own records). */
    resolver?: DNSResolver;
    /** Relays whose Authentication-Results are kept; INBOUND_TRUSTED_RELAYS by default. */
    trustedRelays?: string[];
  },
): Promise<InboundListener> {
  const log = options.log ?? (() => {});
  const server = new SMTPServer({
    // NOTE: no TLS of its own: it sits behind the MX or forwarder that terminates it. Nobody signs
    // in: what a message may do is decided by where it is addressed and who it is from.
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: options.maxBytes,
    banner: 'Commons help center',
    logger: false,
    closeTimeout: 2_000,
    // The client's name from DNS is of no use here, and a slow resolver would stall every message.
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      isOurAddress(db, address.address).then(
        (ours) =>
          callback(ours ? null : smtpError(550, `No mailbox here by the name ${address.address}`)),
        (error: unknown) => {
          log('error', 'inbound mail: checking a recipient failed', { error: String(error) });
          callback(smtpError(451, 'Temporary failure: please try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      // Past the limit the rest is read and dropped: the sender is told at the end.
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= options.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > options.maxBytes) {
          callback(smtpError(552, `Message too large: at most ${options.maxBytes} bytes`));
          return;
        }
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        receiveMail(
          db,
          Buffer.concat(chunks),
          {
            via: 'smtp',
            envelopeFrom: envelopeFrom || null,
            recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            client: { ip: session.remoteAddress, helo: session.hostNameAppearsAs },
          },
          {
            ...(options.resolver ? { resolver: options.resolver } : {}),
            ...(options.trustedRelays ? { trustedRelays: options.trustedRelays } : {}),
          },
        ).then(
          (received) => {
            if (received.outcome === 'rejected')
              callback(smtpError(550, `Message refused: ${received.reason ?? 'unreadable'}`));
            else callback(null, `Received as #${received.id}`);
          },
          (error: unknown) => {
            log('error', 'inbound mail could not be filed', { error: String(error) });
            callback(smtpError(451, 'Temporary failure: please try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) =>
    log('warn', 'inbound SMTP connection error', { error: String(error) }),
  );
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log('info', 'inbound SMTP listening', { port, host: options.host });
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
