// Mail throughput: how fast mails are queued (each in its own transaction, as the app does) and
// sent through the mail worker to a local SMTP server that accepts everything.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { queueMail } from '~/models/mail/outbox.server';
import { sendDueMail } from '~/models/mail/sender.server';
import { renderMail } from '~/models/mail/templates.server';
import { smtpTransport } from '~/models/mail/transport.server';

export type MailBenchResult = {
  messages: number;
  queuedPerSecond: number;
  sentPerSecond: number;
  received: number;
};

export async function benchMail(
  count = 1000,
  log: (message: string) => void = () => {},
): Promise<MailBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-mail-'));
  const db = openDatabase(path.join(dir, 'commons.db'));
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)),
  );
  const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
  try {
    await migrateToLatest(db);
    const queueStarted = performance.now();
    for (let n = 1; n <= count; n++) {
      await db.transaction().execute((trx) =>
        queueMail(trx, {
          kind: 'ticket_reply',
          to: `customer${n % 50}@example.com`,
          toName: `Customer ${n % 50}`,
          subject: `Re: [Request #${n}] The bank feed shows every payment twice`,
          ...renderMail({
            title: 'Support replied to your request',
            paragraphs: ['On "The bank feed shows every payment twice":'],
            markdown: 'Please **disconnect** the feed, then import the statement once.',
            action: { label: 'Reply on the request page', url: `/requests/${n}` },
          }),
          threadKey: `ticket-${n % 200}`,
        }),
      );
    }
    const queueSeconds = (performance.now() - queueStarted) / 1000;
    log(`mail: ${count} queued in ${queueSeconds.toFixed(2)} s`);
    const sendStarted = performance.now();
    while ((await sendDueMail(db, { transport, limit: 100 })) > 0);
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    log(`mail: ${received} received in ${sendSeconds.toFixed(2)} s`);
    return {
      messages: count,
      queuedPerSecond: count / queueSeconds,
      sentPerSecond: count / sendSeconds,
      received,
    };
  } finally {
    transport.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
