import type { RunSummary } from '../../../api/contract.ts';

/** What to do about a locked run: the same words as the server's 409. */
export const LOCKED_HINT = 'sealed — start the dashboard with --keys to open';

/** A sealed run as a small pill (nothing for a plain run); a locked one says why it cannot be opened. */
export function SealedBadge({ run, testId }: { run: Pick<RunSummary, 'sealed' | 'locked'>; testId?: string }) {
  if (!run.sealed) return null;
  const locked = run.locked === true;
  return (
    <span
      className={locked ? 'badge badge--sealed badge--locked' : 'badge badge--sealed'}
      data-testid={testId}
      data-locked={locked ? 'true' : 'false'}
      title={locked ? `This run's artifacts are encrypted: ${LOCKED_HINT} DIR (the key folder it was sealed with).` : "This run's artifacts are encrypted; the dashboard opens them with its keys."}
    >
      {locked ? LOCKED_HINT : 'sealed'}
    </span>
  );
}
