// A stand-in for az, pulumi, kubectl, git and npm in the `sealed deploy` tests: records every call
// (argv, stdin, which of our secret variables it saw) in $FAKE_DEPLOY_DIR/calls.jsonl and answers
// in the output formats the tools document:
// - az version: JSON {"azure-cli": ..., "azure-cli-core": ..., "extensions": {}}
//   (https://learn.microsoft.com/cli/azure/reference-index#az-version)
// - az account show: JSON with environmentName, homeTenantId, id, isDefault, managedByTenants, name,
//   state, tenantId, user {name, type} (https://learn.microsoft.com/cli/azure/account#az-account-show)
// - az aks get-credentials --file F: writes a kubeconfig to F (https://learn.microsoft.com/cli/azure/aks#az-aks-get-credentials)
// - az acr repository show-tags: JSON array of tag strings; an unknown repository is an error, exit 1
//   (https://learn.microsoft.com/cli/azure/acr/repository#az-acr-repository-show-tags)
// - pulumi version: `v3.x.y`; pulumi stack output --json: one JSON object of the stack's outputs
//   (https://www.pulumi.com/docs/iac/cli/commands/pulumi_stack_output/)
// - kubectl version --client -o json: {"clientVersion": {...,"gitVersion": "v1.31.0"}, "kustomizeVersion": "v5.4.2"}
// - kubectl get pods -A -o json: a v1 List of Pods; kubectl wait: exit 0 "condition met", exit 1
//   "error: timed out waiting for the condition on ..." (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_wait/)
// $FAKE_DEPLOY_DIR/scenario.json steers failures: {"fail": [{"match": "pulumi up", "code": 255, "stderr": "...", "times": 1}],
// "notReadyPolls": n, "dirty": true}. Counters live in files next to it.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [tool, ...args] = process.argv.slice(2);
const dir = process.env.FAKE_DEPLOY_DIR;
const scenario = existsSync(join(dir, 'scenario.json')) ? JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) : {};
const line = [tool, ...args].join(' ');

function count(name) {
  const f = join(dir, `count-${name}`);
  const n = existsSync(f) ? Number(readFileSync(f, 'utf8')) : 0;
  writeFileSync(f, String(n + 1));
  return n + 1;
}
function world() {
  const f = join(dir, 'world.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : { tags: [] };
}
function saveWorld(w) {
  writeFileSync(join(dir, 'world.json'), JSON.stringify(w));
}
function out(text, code = 0) {
  process.stdout.write(text);
  process.exitCode = code;
}
function fail(stderr, code = 1) {
  process.stderr.write(stderr + '\n');
  process.exitCode = code;
}
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

const wantsStdin = tool === 'kubectl' && args.includes('apply');
const stdin = wantsStdin ? await readStdin() : '';
appendFileSync(
  join(dir, 'calls.jsonl'),
  JSON.stringify({ tool, args, stdin, secretVars: Object.keys(process.env).filter((k) => /^(SEALED_|KFP_)/.test(k) || /PASSWORD$/.test(k)) }) + '\n',
);

const rule = (scenario.fail ?? []).find((r) => line.includes(r.match));
if (rule && count(`fail-${rule.match}`) <= (rule.times ?? Infinity)) {
  fail(rule.stderr ?? 'error: injected failure', rule.code ?? 1);
} else {
  answer();
}

function answer() {
  const sub = args.filter((a) => !a.startsWith('-')).slice(0, 3).join(' ');
  if (tool === 'az') {
    if (args[0] === 'version') return out(JSON.stringify({ 'azure-cli': '2.67.0', 'azure-cli-core': '2.67.0', 'azure-cli-telemetry': '1.1.0', extensions: {} }));
    if (sub.startsWith('account show')) {
      return out(JSON.stringify({ environmentName: 'AzureCloud', homeTenantId: '00000000-0000-0000-0000-00000000000a', id: '11111111-2222-3333-4444-555555555555', isDefault: true, managedByTenants: [], name: 'Test subscription', state: 'Enabled', tenantId: '00000000-0000-0000-0000-00000000000a', user: { name: 'ada@example.org', type: 'user' } }, null, 2));
    }
    if (sub.startsWith('aks get-credentials')) {
      // Written with the default umask (0644 here): the caller must make it 0600.
      writeFileSync(opt('--file'), 'apiVersion: v1\nkind: Config\nusers:\n- name: clusterUser\n  user:\n    token: fake-admin-token\n', { mode: 0o644 });
      return out('');
    }
    if (sub.startsWith('acr repository show-tags')) {
      const tags = world().tags;
      if (tags.length === 0) return fail(`ERROR: (NAME_UNKNOWN) repository name not known to registry`);
      return out(JSON.stringify(tags, null, 2));
    }
    if (sub.startsWith('acr build')) {
      const w = world();
      w.tags.push(opt('--image').split(':')[1]);
      saveWorld(w);
      return out('Run ID: ca1 was successful after 2m3s\n');
    }
    return fail(`ERROR: fake az has no answer for: ${line}`, 2);
  }
  if (tool === 'pulumi') {
    if (args[0] === 'version') return out('v3.150.0\n');
    if (args[0] === 'whoami') return out('ada\n');
    if (sub.startsWith('stack select')) return out('');
    if (args[0] === 'up' || args[0] === 'destroy') return out(`Resources:\n    + 8 created\n\nDuration: 6m12s\n`);
    if (sub.startsWith('stack output')) return out(JSON.stringify({ clusterName: 'sealedaks', resourceGroupName: 'sealed-rg', acrLoginServer: 'sealedacr.azurecr.io' }, null, 2));
    return fail(`error: fake pulumi has no answer for: ${line}`, 2);
  }
  if (tool === 'kubectl') {
    if (args[0] === 'version') return out(JSON.stringify({ clientVersion: { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' }, kustomizeVersion: 'v5.4.2' }));
    if (args[0] === 'kustomize') return out(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kubeflow\n---\n# rendered from ${args[1]}\n`);
    const verb = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--kubeconfig' && args[i - 1] !== '--namespace');
    if (verb === 'apply') {
      if (count('apply') <= (scenario.applyFailures ?? 0)) return fail('error: resource mapping not found for name: "kubeflow-self-signing-issuer" namespace: "" from "STDIN": no matches for kind "ClusterIssuer" in version "cert-manager.io/v1"\nensure CRDs are installed first');
      return out('namespace/kubeflow serverside-applied\n');
    }
    if (verb === 'get' && args.includes('pods')) {
      const n = count('pods');
      const ready = n > (scenario.notReadyPolls ?? 0) && !scenario.neverReady;
      return out(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
        { metadata: { name: 'dex-5d9f', namespace: 'auth' }, status: { phase: 'Running', containerStatuses: [{ ready: true }] } },
        { metadata: { name: 'ml-pipeline-7c4', namespace: 'kubeflow' }, status: { phase: ready ? 'Running' : 'Pending', containerStatuses: [{ ready }] } },
        { metadata: { name: 'cert-job-x1', namespace: 'cert-manager' }, status: { phase: 'Succeeded', containerStatuses: [{ ready: false }] } },
        // An evicted pod stays listed in phase Failed (reason Evicted) until deleted; its replacement is the one above.
        { metadata: { name: 'ml-pipeline-old9', namespace: 'kubeflow' }, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', containerStatuses: [{ ready: false }] } },
      ] }));
    }
    if (verb === 'get' && args.includes('service')) return out(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' }, spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: scenario.ip ?? '20.61.10.5', ipMode: 'VIP' }] } } }));
    if (verb === 'get' && args.includes('secret')) {
      // -o jsonpath={.data.ca\.crt}: the base64 text of the field, no newline (kubectl's jsonpath output).
      const pem = '-----BEGIN CERTIFICATE-----\nMIIBfakeCAcertificateForTests0123456789abcdefABCDEF==\n-----END CERTIFICATE-----\n';
      return out(Buffer.from(pem).toString('base64'));
    }
    if (verb === 'delete') return out('');
    if (verb === 'wait') {
      if (scenario.certificateTimeout && args.some((a) => a.startsWith('certificate/'))) return fail('error: timed out waiting for the condition on certificates/istio-ingressgateway-certs');
      return out(args.some((a) => a.startsWith('certificate/')) ? 'certificate.cert-manager.io/istio-ingressgateway-certs condition met\n' : 'deployment.apps/ml-pipeline condition met\n');
    }
    return fail(`error: fake kubectl has no answer for: ${line}`, 2);
  }
  if (tool === 'git') {
    const a = args.slice(2);
    if (a[0] === 'rev-parse') return out('0123456789ab\n');
    if (a[0] === 'status') return out(scenario.dirty ? ' M src/cli/main.ts\n' : '');
    if (a[0] === 'diff') return out('diff --git a/src/cli/main.ts b/src/cli/main.ts\n');
    return fail(`fatal: fake git has no answer for: ${line}`, 128);
  }
  if (tool === 'npm') return out('added 312 packages in 16s\n');
  return fail(`fake: unknown tool ${tool}`, 127);
}
