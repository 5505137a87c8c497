import { describe, expect, test } from 'vitest';
import { cachingResolver } from '~/models/mail/inbound/sender-check.server';

function failing(code: string) {
  return Object.assign(new Error(`queryTxt ${code}`), { code });
}

describe('the DNS answers the sender checks reuse', () => {
  test('an answer and a "no such record" are reused for five minutes; a timeout is asked again', async () => {
    const asked: string[] = [];
    let clock = 0;
    const resolve = cachingResolver(
      async (name, type) => {
        asked.push(`${type} ${name}`);
        if (name === 'gone.example') throw failing('ENOTFOUND');
        if (name === 'slow.example') throw failing('ETIMEOUT');
        return [['v=spf1 -all']];
      },
      () => clock,
    );
    expect(await resolve('Store.example', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(await resolve('store.example', 'TXT')).toEqual([['v=spf1 -all']]);
    await expect(resolve('gone.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('gone.example', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('slow.example', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(resolve('slow.example', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(asked).toEqual([
      'TXT Store.example',
      'TXT gone.example',
      'TXT slow.example',
      'TXT slow.example',
    ]);

    // Another record type is another question; five minutes on, the first is asked again.
    await resolve('store.example', 'MX');
    clock += 5 * 60_000 + 1;
    await resolve('store.example', 'TXT');
    expect(asked.slice(4)).toEqual(['MX store.example', 'TXT store.example']);
  });

  test('questions asked at the same time share one lookup', async () => {
    let lookups = 0;
    const resolve = cachingResolver(async () => {
      lookups++;
      await new Promise((done) => setTimeout(done, 5));
      return ['192.0.2.1'];
    });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => resolve('mx.store.example', 'A')),
    );
    expect(answers.every((answer) => answer[0] === '192.0.2.1')).toBe(true);
    expect(lookups).toBe(1);
  });
});
