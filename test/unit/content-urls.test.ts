import { describe, expect, test } from 'vitest';
import {
  answerPath,
  articlePath,
  commentPath,
  parseContentUrl,
  questionPath,
} from '#lib/content-urls';

describe('content URLs', () => {
  test('are built in the shapes the site promises', () => {
    expect(questionPath({ id: 12, slug: 'bank-feed-stopped' })).toBe(
      '/questions/12/bank-feed-stopped',
    );
    expect(questionPath({ id: 12 })).toBe('/questions/12');
    expect(answerPath({ id: 12, slug: 'bank-feed-stopped' }, 34)).toBe(
      '/questions/12/bank-feed-stopped#answer-34',
    );
    expect(answerPath({ id: 12 }, null)).toBe('/questions/12');
    expect(commentPath({ id: 12, slug: 'a' }, 5)).toBe('/questions/12/a#comment-5');
    expect(articlePath('reconcile-a-bank-account')).toBe('/kb/reconcile-a-bank-account');
  });

  test('read back what they built, with or without the site in front', () => {
    const built = [
      answerPath({ id: 12, slug: 'bank-feed' }, 34),
      questionPath({ id: 12, slug: 'bank-feed' }),
      articlePath('reconcile'),
    ];
    expect(built.map(parseContentUrl)).toEqual([
      { type: 'post', id: 34 },
      { type: 'thread', id: 12 },
      { type: 'article', slug: 'reconcile' },
    ]);
    expect(parseContentUrl('https://help.example.com/questions/7/x?tab=new#answer-9')).toEqual({
      type: 'post',
      id: 9,
    });
    expect(parseContentUrl('not a link')).toBeNull();
  });
});
