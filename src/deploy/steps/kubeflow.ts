// Kubeflow on the cluster: apply, wait, read back. Behaviour followed:
// - kubeflow/manifests README ("Install with a single command"): `kustomize build example | kubectl apply
//   --server-side --force-conflicts -f -` fails until the CRDs it creates are registered and the webhooks
//   answer, so it is re-run until it succeeds; here with a bound on the attempts instead of forever.
// - `kubectl get pods -A -o json` is a v1 List of Pods (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/):
//   a pod is ready when status.phase is Running and every status.containerStatuses[].ready is true, or done
//   when its phase is Succeeded (a Job's pod); a Failed one (evicted, say: its controller starts a new one)
//   is left out (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase).
// - `kubectl wait --for=condition=Ready` exits 0 when the condition holds and 1 with
//   "error: timed out waiting for the condition on ..." after --timeout
//   (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_wait/).
// - Service status.loadBalancer.ingress[].ip (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/).
import { isIP } from 'node:net';
import { DataError, excerpt } from '../../core/index.ts';
import { lastLine } from './execute.ts';
import type { StepCommand, StepContext } from './types.ts';

export interface KubeflowTiming {
  applyAttempts: number;
  applyDelayMs: number;
  podsMs: number;
  pollMs: number;
  addressMs: number;
  certificateMs: number;
}

export const DEFAULT_KUBEFLOW_TIMING: KubeflowTiming = {
  applyAttempts: 30,
  applyDelayMs: 20_000, // the v1.11 README's `sleep 20`
  podsMs: 30 * 60_000,
  pollMs: 10_000,
  addressMs: 10 * 60_000,
  certificateMs: 5 * 60_000,
};

export async function applyWithRetry(ctx: StepContext, apply: StepCommand, timing: KubeflowTiming): Promise<void> {
  let last = '';
  for (let attempt = 1; attempt <= timing.applyAttempts; attempt++) {
    const r = await ctx.probe(apply);
    if (r.code === 0) return;
    last = lastLine(r.stderr || r.stdout);
    ctx.progress(`  apply attempt ${attempt}/${timing.applyAttempts} failed (${last}); retrying in ${timing.applyDelayMs / 1000} s`);
    if (attempt < timing.applyAttempts) await ctx.sleep(timing.applyDelayMs);
  }
  throw new DataError('deploy.applyGaveUp', { attempts: timing.applyAttempts, detail: last });
}

interface PodList {
  items?: Array<{
    metadata?: { name?: string; namespace?: string };
    status?: { phase?: string; containerStatuses?: Array<{ ready?: boolean }> };
  }>;
}

/** Polls the pods until every one is ready or done; a progress line per poll. */
export async function waitForPods(ctx: StepContext, pods: StepCommand, timing: KubeflowTiming): Promise<void> {
  const deadline = ctx.now() + timing.podsMs;
  let waiting: string[] = [];
  while (true) {
    const r = await ctx.exec(pods);
    const list = parse(r.stdout) as PodList;
    // A Failed pod (an evicted one, say) never becomes ready: its controller makes a new pod, which is
    // waited for instead, so it is left out rather than holding the wait until its timeout.
    const items = (Array.isArray(list.items) ? list.items : []).filter((p) => p.status?.phase !== 'Failed');
    waiting = items.filter((p) => !podDone(p)).map((p) => `${p.metadata?.namespace ?? '?'}/${p.metadata?.name ?? '?'}`);
    ctx.progress(`  pods ready: ${items.length - waiting.length}/${items.length}${waiting.length > 0 ? ` (waiting for ${excerpt(waiting.slice(0, 3).join(', '), 200)}${waiting.length > 3 ? ', ...' : ''})` : ''}`);
    if (items.length > 0 && waiting.length === 0) return;
    if (ctx.now() >= deadline) break;
    await ctx.sleep(timing.pollMs);
  }
  throw new DataError('deploy.timeout', { what: `${waiting.length} pods to be ready`, seconds: timing.podsMs / 1000, detail: excerpt(waiting.slice(0, 5).join(', '), 300) });
}

function podDone(p: NonNullable<PodList['items']>[number]): boolean {
  const phase = p.status?.phase;
  if (phase === 'Succeeded') return true;
  const cs = p.status?.containerStatuses ?? [];
  return phase === 'Running' && cs.length > 0 && cs.every((c) => c.ready === true);
}

/** The ingress gateway's external IP, polled until Azure's load balancer has assigned it. */
export async function loadBalancerIp(ctx: StepContext, service: StepCommand, timing: KubeflowTiming): Promise<string> {
  const deadline = ctx.now() + timing.addressMs;
  while (true) {
    const r = await ctx.exec(service);
    const svc = parse(r.stdout) as { status?: { loadBalancer?: { ingress?: Array<{ ip?: unknown }> } } };
    const ip = svc.status?.loadBalancer?.ingress?.find((i) => typeof i.ip === 'string')?.ip;
    if (typeof ip === 'string') {
      // The IP goes into a certificate and a URL: only an address, never text that came along with it.
      if (isIP(ip) === 0) throw new DataError('deploy.badOutput', { command: 'kubectl get service istio-ingressgateway', reason: `load balancer ip '${excerpt(ip, 60)}' is not an IP address` });
      return ip;
    }
    if (ctx.now() >= deadline) throw new DataError('deploy.timeout', { what: 'the load balancer IP of istio-system/istio-ingressgateway', seconds: timing.addressMs / 1000, detail: 'is its Service of type LoadBalancer?' });
    ctx.progress('  waiting for the load balancer IP ...');
    await ctx.sleep(timing.pollMs);
  }
}

export async function certificateReady(ctx: StepContext, wait: StepCommand): Promise<void> {
  const r = await ctx.probe(wait);
  if (r.code !== 0) throw new DataError('deploy.certificateNotReady', { detail: lastLine(r.stderr || r.stdout) });
}

function parse(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new DataError('deploy.badOutput', { command: 'kubectl', reason: 'expected JSON' });
}
