import type { ProblemState as State } from '#db/schema';
import { problemStateLabels, problemStateTone } from '~/models/problems/labels';

/** A known issue's state as a badge. */
export function ProblemState({ state }: { state: State }) {
  return (
    <span className={`badge badge-${problemStateTone[state]}`}>{problemStateLabels[state]}</span>
  );
}
