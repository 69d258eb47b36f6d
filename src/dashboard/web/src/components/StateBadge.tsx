import type { RunState, TaskState } from '../../../api/contract.ts';

/** A state as a coloured pill; its text is exactly the state (tests read it). */
export function StateBadge({ state, testId }: { state: RunState | TaskState; testId?: string }) {
  return (
    <span className={`badge badge--${state}`} data-testid={testId} data-state={state}>
      {state}
    </span>
  );
}
