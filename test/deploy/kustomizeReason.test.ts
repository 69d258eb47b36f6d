// kubectl kustomize's failures reach the user as one line naming the reason. kubectl prints them
// klog-style (k8s.io/klog: `E... "command failed" err=<` then the indented reason lines, then a
// closing ` >`), so the last line alone is often just `>`; this runs the real kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlKustomize, kustomizeReason } from '../../src/deploy/kubeflow/kustomize.ts';

test('a klog error block is reported by its reason line, not by its closing bracket', () => {
  const stderr = [
    'E1208 04:26:16.097970   22573 run.go:72] "command failed" err=<',
    "\taccumulating resources: accumulation err='accumulating resources from 'https://github.com/x/y': failed to run '/usr/bin/git fetch'",
    '\t: exit status 128',
    ' >',
    '',
  ].join('\n');
  assert.match(kustomizeReason(stderr) ?? '', /failed to run/);
  assert.equal(kustomizeReason('error: must build at directory: not a valid directory\n'), 'error: must build at directory: not a valid directory');
  assert.equal(kustomizeReason(' >\n'), undefined);
});

test('the real kubectl: a kustomization naming a missing file fails with the missing file in the message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kustomize-reason-'));
  try {
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n- not-there.yaml\n');
    await assert.rejects(kubectlKustomize(dir), (e: Error) => {
      assert.match(e.message, /not-there\.yaml/);
      assert.doesNotMatch(e.message, /failed: >$/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
