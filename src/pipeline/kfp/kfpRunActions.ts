// Run calls beyond create/get/list/terminate: retry, archive, delete (backend/api/v2beta1/
// run.proto: RetryRun POST runs/{id}:retry, ArchiveRun POST runs/{id}:archive, DeleteRun
// DELETE runs/{id}; google.protobuf.Empty answers).
import { PipelineError } from '../../core/errors.ts';
import { emptySchema } from './apiSchemas.ts';
import type { KfpClient } from './kfpClient.ts';

export type RunAction = 'retry' | 'archive' | 'delete';

const VERB: Record<RunAction, string> = { retry: 'retrying', archive: 'archiving', delete: 'deleting' };

export async function changeRun(client: KfpClient, runId: string, action: RunAction, signal?: AbortSignal): Promise<void> {
  const path = `runs/${encodeURIComponent(runId)}`;
  await client.call(
    {
      method: action === 'delete' ? 'DELETE' : 'POST',
      path: action === 'delete' ? path : `${path}:${action}`,
      schema: emptySchema,
      action: `${VERB[action]} run ${runId}`,
      rbac: { verb: action, resource: 'runs' },
      notFound: () => new PipelineError('kfp.noRun', { runId }),
    },
    signal,
  );
}
