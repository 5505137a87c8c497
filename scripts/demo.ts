// `npm run demo`: the production server on its own data directory, seeded with a demo community.
import { demoAccounts, demoSiteName, seedDemo } from '../seed/demo';

process.env.DATA_DIR ??= 'data-demo';
process.env.SITE_NAME ??= demoSiteName;

const { startServer } = await import('../server');

await startServer({
  async beforeListen(db) {
    const seeded = await seedDemo(db);
    const lines = [
      '',
      seeded
        ? `Demo data written to ${process.env.DATA_DIR}.`
        : `Using the demo data in ${process.env.DATA_DIR}.`,
      'Sign in with any of these demo accounts:',
      ...demoAccounts.map(
        (a) =>
          `  ${a.role.padEnd(10)} ${a.username.padEnd(12)} ${a.email.padEnd(32)} password: ${a.password}`,
      ),
      '',
    ];
    console.log(lines.join('\n'));
  },
});
