import { decodeCursor, threadTabs, type ThreadTab } from '~/models/thread-lists.server';

/** The tab and page of a thread list from its URL; anything unknown falls back to the defaults. */
export function threadListParams(url: URL) {
  const tab = url.searchParams.get('tab');
  return {
    tab: threadTabs.find((candidate): candidate is ThreadTab => candidate === tab) ?? 'newest',
    after: decodeCursor(url.searchParams.get('after')),
    before: decodeCursor(url.searchParams.get('before')),
  };
}
