import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { envelopeTo: string[]; raw: string; parsed: ParsedMail };

/**
 * A real SMTP server on a free local port (the `smtp-server` package): it records every message
 * it accepts, and can refuse (5xx), hold a message without answering, or stop and start again on
 * the same port.
 */
export async function startSmtpServer(port = 0) {
  const received: ReceivedMail[] = [];
  const arrivals: ((mail: ReceivedMail) => void)[] = [];
  let refuseWith: string | null = null;
  let holdWhen: ((raw: string) => boolean) | null = null;

  function create() {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 500,
      onRcptTo(address, _session, callback) {
        if (refuseWith) {
          const error = Object.assign(new Error(refuseWith), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((parsed) => {
            const mail = {
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw,
              parsed,
            };
            received.push(mail);
            for (const listener of arrivals) listener(mail);
            // A held message is received but never acknowledged, as when the sender dies mid-send.
            if (holdWhen?.(raw)) return;
            callback();
          });
        });
      },
    });
  }

  let server = create();
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
  const boundPort = await listen(port);
  let running = true;

  return {
    port: boundPort,
    url: `smtp://127.0.0.1:${boundPort}`,
    received,
    refuse(message: string | null) {
      refuseWith = message;
    },
    hold(predicate: ((raw: string) => boolean) | null) {
      holdWhen = predicate;
    },
    /** Resolves at the next message that arrives. */
    nextArrival() {
      return new Promise<ReceivedMail>((resolve) => {
        const listener = (mail: ReceivedMail) => {
          arrivals.splice(arrivals.indexOf(listener), 1);
          resolve(mail);
        };
        arrivals.push(listener);
      });
    },
    async stop() {
      if (!running) return;
      running = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      if (running) return;
      server = create();
      await listen(boundPort);
      running = true;
    },
  };
}
export type SmtpTestServer = Awaited<ReturnType<typeof startSmtpServer>>;
