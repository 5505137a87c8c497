import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import pg from 'pg';
import { connectionSettingsOf, type Database } from './client';
import { dialectOf } from './dialect';

/**
 * Wake-ups for the background workers of every app server on one database: a change that queues
 * work calls `notify` in its transaction, and the workers that `listen` run at once instead of at
 * their next poll. On PostgreSQL this is NOTIFY, which reaches every server when the transaction
 * commits (never before, when the queued row would not be visible yet). SQLite has one server,
 * and its one connection makes a woken worker wait for the commit, so an event in memory does.
 */

export type Channel = 'search_outbox' | 'webhook_deliveries' | 'mail_outbox';

const local = new EventEmitter();

export async function notify(db: Database, channel: Channel): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`select pg_notify(${channel}, '')`.execute(db);
  else local.emit(channel);
}

/**
 * Calls `listener` whenever `channel` is notified, until the returned function is called. On
 * PostgreSQL one connection per database listens for all channels; when it drops it is opened
 * again a second later (a notification lost meanwhile waits for the worker's next poll).
 */
export function listen(db: Database, channel: Channel, listener: () => void): () => void {
  const settings = connectionSettingsOf(db);
  if (!settings) {
    local.on(channel, listener);
    return () => void local.off(channel, listener);
  }
  const listening = listenerOf(db, settings);
  listening.add(channel, listener);
  return () => listening.remove(channel, listener);
}

type Listening = {
  add(channel: Channel, listener: () => void): void;
  remove(channel: Channel, listener: () => void): void;
};

const listeners = new WeakMap<Database, Listening>();

function listenerOf(db: Database, settings: pg.ClientConfig): Listening {
  const existing = listeners.get(db);
  if (existing) return existing;
  const events = new EventEmitter();
  const channels = new Map<Channel, number>();
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  // One statement at a time on the connection, in the order asked.
  let queue: Promise<unknown> = Promise.resolve();

  function send(connection: pg.Client, text: string) {
    queue = queue.then(() => connection.query(text)).catch(() => reconnect(connection));
  }
  function connect() {
    retry = null;
    const connection = new pg.Client(settings);
    client = connection;
    connection.on('notification', (message) => events.emit(message.channel));
    connection.on('error', () => reconnect(connection));
    queue = connection.connect().catch(() => reconnect(connection));
    for (const channel of channels.keys()) send(connection, `listen ${channel}`);
  }
  function reconnect(connection: pg.Client) {
    if (client !== connection) return;
    client = null;
    void connection.end().catch(() => {});
    if (channels.size > 0) retry = setTimeout(connect, 1_000);
  }

  const listening: Listening = {
    add(channel, listener) {
      events.on(channel, listener);
      channels.set(channel, (channels.get(channel) ?? 0) + 1);
      if (!client && !retry) connect();
      else if (client && channels.get(channel) === 1) send(client, `listen ${channel}`);
    },
    remove(channel, listener) {
      events.off(channel, listener);
      const left = (channels.get(channel) ?? 1) - 1;
      if (left > 0) return void channels.set(channel, left);
      channels.delete(channel);
      if (channels.size > 0) return void (client && send(client, `unlisten ${channel}`));
      if (retry) clearTimeout(retry);
      retry = null;
      const connection = client;
      client = null;
      void connection?.end().catch(() => {});
    },
  };
  listeners.set(db, listening);
  return listening;
}
