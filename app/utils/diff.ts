import { diffWordsWithSpace } from 'diff';

export type DiffPart = { text: string; change: 'added' | 'removed' | 'same' };

/** Word-level differences between two texts, for a readable revision history. */
export function diffText(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((part) => ({
    text: part.value,
    change: part.added ? 'added' : part.removed ? 'removed' : 'same',
  }));
}
