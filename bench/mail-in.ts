// Inbound mail throughput: messages sent by SMTP to the production server's listener, each filed
// (a new ticket, one in ten with a log file attached) before the listener answers 250.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import nodemailer, { type Transporter } from 'nodemailer';
import { openDatabase } from '#db/client';
import { startApp } from './search';

export type MailInBenchResult = {
  messages: number;
  connections: number;
  seconds: number;
  messagesPerSecond: number;
  /** Messages the server filed as tickets, read from its database afterwards. */
  tickets: number;
  p50Ms: number;
  p99Ms: number;
};

const support = 'support@bench.example.com';
const connections = 4;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchMailIn(
  count = 1000,
  log: (message: string) => void = () => {},
): Promise<MailInBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-mail-in-'));
  let app: { child: ChildProcess; startupLog: string } | null = null;
  const transports: Transporter[] = [];
  try {
    app = await startApp({
      NODE_ENV: 'production',
      PORT: '0',
      DATA_DIR: dir,
      // Search is not what this measures; tickets still get their FTS rows.
      MEILI_URL: 'http://127.0.0.1:9',
      INBOUND_SMTP_PORT: '0',
      INBOUND_SMTP_HOST: '127.0.0.1',
      SUPPORT_ADDRESS: support,
      LOG_REQUESTS: 'false',
    });
    const port = Number(
      /"message":"inbound SMTP listening","port":(\d+)/.exec(app.startupLog)?.[1],
    );
    if (!port) throw new Error('the server started no SMTP listener');
    // Kept-open connections, as an MX delivers a queue: the listener waits 100 ms before greeting
    // a new connection (to catch clients that talk too soon), once per connection.
    for (let n = 0; n < connections; n++)
      transports.push(
        nodemailer.createTransport({
          host: '127.0.0.1',
          port,
          secure: false,
          ignoreTLS: true,
          pool: true,
          maxConnections: 1,
          maxMessages: Infinity,
        }),
      );
    const body = (n: number) =>
      [
        `Hello, since this morning the bank feed of account ${n} stops at the first transaction.`,
        'We reconnected it twice and cleared the browser cache; the import log says "token expired".',
        'Could you look into it? Thanks.',
      ].join('\n\n');
    const times: number[] = [];
    let next = 0;
    const started = performance.now();
    // Each connection sends one message after another, as an MX delivering a queue does.
    await Promise.all(
      transports.map(async (transport) => {
        for (let n = next++; n < count; n = next++) {
          const sent = performance.now();
          await transport.sendMail({
            from: `Customer ${n % 300} <customer${n % 300}@customer${n % 40}.example>`,
            to: support,
            subject: `Bank feed stops at the first transaction (account ${n})`,
            text: body(n),
            attachments:
              n % 10 === 0
                ? [
                    {
                      filename: `import-${n}.log`,
                      content: `${'2026-12-05 token expired\n'.repeat(200)}`,
                    },
                  ]
                : [],
          });
          times.push(performance.now() - sent);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    log(`mail in: ${count} messages in ${seconds.toFixed(2)} s`);
    const db = openDatabase(path.join(dir, 'commons.db'));
    const filed = await db
      .selectFrom('inbound_mail')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('outcome', '=', 'ticket')
      .executeTakeFirstOrThrow();
    await db.destroy();
    return {
      messages: count,
      connections,
      seconds,
      messagesPerSecond: count / seconds,
      tickets: Number(filed.n),
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
    };
  } finally {
    for (const transport of transports) transport.close();
    if (app) {
      const exited = new Promise((resolve) => app!.child.once('exit', resolve));
      app.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
