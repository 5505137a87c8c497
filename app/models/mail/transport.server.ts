import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { getConfig, type Config } from '~/utils/config.server';

/**
 * Where mail goes: the SMTP server at SMTP_URL, or, with none configured, .eml files under
 * DATA_DIR/mail/ that a person can open (and that the admin email log lists).
 */

export type SendOutcome = { ok: boolean; response: string };
export type MailTransport = {
  /** Sends one message; never throws: a refusal or a connection error is an outcome. */
  send(message: SendMailOptions, fileName: string): Promise<SendOutcome>;
  close(): void;
  describe: string;
};

const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

function failure(error: unknown): SendOutcome {
  if (error && typeof error === 'object') {
    const smtp = 'response' in error && typeof error.response === 'string' ? error.response : null;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, response: (smtp ?? message).slice(0, 500) };
  }
  return { ok: false, response: String(error).slice(0, 500) };
}

export function smtpTransport(url: string): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 3,
    ...timeouts,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    describe: `SMTP ${new URL(url).host}`,
    async send(message) {
      try {
        const info = await transporter.sendMail(message);
        return { ok: true, response: String(info.response ?? '250 accepted').slice(0, 500) };
      } catch (error) {
        return failure(error);
      }
    },
    close: () => transporter.close(),
  };
}

export function mailFolder(config: Config = getConfig()): string {
  return path.resolve(config.DATA_DIR, 'mail');
}

export function fileTransport(folder: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    describe: `files in ${folder}`,
    async send(message, fileName) {
      try {
        const info = await transporter.sendMail(message);
        await fs.promises.mkdir(folder, { recursive: true, mode: 0o700 });
        const file = path.join(folder, fileName);
        await fs.promises.writeFile(file, info.message as Buffer, { mode: 0o600 });
        return { ok: true, response: `written to ${file}` };
      } catch (error) {
        return failure(error);
      }
    },
    close: () => transporter.close(),
  };
}

/** The transport the configuration asks for. */
export function configuredTransport(config: Config = getConfig()): MailTransport {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL) : fileTransport(mailFolder(config));
}
