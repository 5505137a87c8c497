import { describe, expect, test } from 'vitest';
import {
  articleIdsIn,
  fillPlaceholders,
  firstNameOf,
  unknownPlaceholders,
} from '~/models/macros/placeholders';

const values = {
  'requester.first_name': 'Grace',
  'requester.name': 'Grace Miller',
  'ticket.id': '42',
  'ticket.subject': 'Payroll *stuck* on [Submitting]',
  'agent.first_name': 'Sam',
  'organization.name': 'Brightside Clinic',
  articles: new Map([[7, { title: 'Fix a bank feed (BF-401)', path: '/kb/fix-bank-feed' }]]),
};

describe('macro placeholders', () => {
  test('fills names, links articles and leaves text in braces that is not a placeholder alone', () => {
    expect(
      fillPlaceholders(
        'Hi {{requester.first_name}}, about #{{ ticket.id }}: see {{article:7}}. — {{agent.first_name}}',
        values,
      ),
    ).toBe('Hi Grace, about #42: see [Fix a bank feed (BF-401)](/kb/fix-bank-feed). — Sam');
  });

  test('a value from a person cannot add Markdown', () => {
    expect(fillPlaceholders('Re: {{ticket.subject}}', values)).toBe(
      'Re: Payroll \\*stuck\\* on \\[Submitting\\]',
    );
  });

  test('an article that is gone becomes its id, not a broken link', () => {
    expect(fillPlaceholders('See {{article:99}}.', values)).toBe('See article 99.');
  });

  test('unknown names are found once each, in order; article references are known', () => {
    expect(
      unknownPlaceholders(
        '{{requester.email}} {{article:3}} {{ticket.id}} {{foo}} {{requester.email}}',
      ),
    ).toEqual(['requester.email', 'foo']);
    expect(unknownPlaceholders('{{article:0}} {{article:x}}')).toEqual(['article:0', 'article:x']);
    expect(articleIdsIn('{{article:3}} and {{article:3}} and {{article:12}}')).toEqual([3, 12]);
  });

  test('first names come from display names', () => {
    expect(firstNameOf('  Grace   Miller ')).toBe('Grace');
    expect(firstNameOf('grace_m')).toBe('grace_m');
  });
});
