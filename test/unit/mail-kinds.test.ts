import { describe, expect, test } from 'vitest';
import { kindsFor, notificationGroups } from '~/models/mail/kinds';

describe('notification settings', () => {
  test('every kind a person chooses about is listed in exactly one group of the settings page', () => {
    const grouped = notificationGroups.flatMap((group) => group.kinds);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect([...grouped].sort()).toEqual([...kindsFor('admin')].sort());
  });
});
