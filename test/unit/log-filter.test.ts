import { expect, test } from 'vitest';
import { readLogFilter } from '~/models/mail/log-filter.server';
import { emailLogFilters, receivedFilters } from '~/models/mail/kinds';

test('an email log filter keeps what was typed and falls back to all, page 1', () => {
  expect(
    readLogFilter(
      'http://x/admin/email?address=%20ana@example.com%20&status=failed&page=3',
      'status',
      emailLogFilters,
    ),
  ).toEqual({ address: 'ana@example.com', choice: 'failed', page: 3 });
  expect(
    readLogFilter('http://x/admin/email/received?outcome=sent&page=-2', 'outcome', receivedFilters),
  ).toEqual({ address: '', choice: 'all', page: 1 });
  expect(readLogFilter(`http://x/?address=${'a'.repeat(300)}`, 'status', emailLogFilters)).toEqual({
    address: '',
    choice: 'all',
    page: 1,
  });
});
