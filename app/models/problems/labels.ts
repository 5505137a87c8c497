import type { ProblemState } from '#db/schema';

/** How a known issue's state reads, to the team and to customers. */
export const problemStateLabels: Record<ProblemState, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  fix_in_progress: 'Fix in progress',
  fixed: 'Fixed',
  wont_fix: 'Won’t fix',
};

/** Fixed and won't-fix close a known issue: the people it affects are told, once. */
export const isFinished = (state: ProblemState) => state === 'fixed' || state === 'wont_fix';

/** The tone of a state's badge. */
export const problemStateTone: Record<ProblemState, 'danger' | 'warning' | 'success' | 'muted'> = {
  investigating: 'danger',
  identified: 'warning',
  fix_in_progress: 'warning',
  fixed: 'success',
  wont_fix: 'muted',
};
