// The app's mail worker alone, as a process the crash test can kill: it sends the outbox of the
// database in DATABASE_URL to the SMTP server in SMTP_URL until killed.
import { startMailWorker } from '~/models/mail/sender.server';
import { getDb } from '~/utils/db.server';

startMailWorker(getDb(), undefined, { pollMs: 50 });
console.log('started');
setInterval(() => {}, 60_000);
