// forEachStore and its `tamper` access, as the sealed-artifact tamper table will use them: one
// body, every store, raw bytes changed behind the store's back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../../src/core/index.ts';
import { forEachStore } from './storeCases.ts';

forEachStore('raw access for tamper cases', (makeStore, tamper, ctx) => {
  test('a flipped bit is in the stored bytes, and stat({ verify }) sees it', async () => {
    const store = await makeStore();
    await store.put('task/model.bin', { bytes: 'genuine' });
    await tamper.flipBit(store, 'task/model.bin', 0);
    await tamper.flipBit(store, 'task/model.bin', -1, 7);
    const raw = await tamper.read(store, 'task/model.bin');
    assert.equal(raw[0], 'g'.charCodeAt(0) ^ 1);
    assert.equal(raw[raw.length - 1], 'e'.charCodeAt(0) ^ 0x80);
    assert.ok((await store.get('task/model.bin')).equals(raw), 'the store serves the tampered bytes');
    assert.equal((await store.stat('task/model.bin', { verify: true }))?.sha256, sha256(raw));
  });

  test('list shows every raw object, folder markers included; remove deletes one', async () => {
    const store = await makeStore();
    const dir = join(await store.createStaging('t'), 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x'), '1');
    await store.put('t/out', { file: dir });
    await store.put('t/other', { bytes: 'o' });
    const expected = ctx.kind === 'local' ? ['t/other', 't/out/x'] : ['t/other', 't/out/.sealed-folder-listing.json', 't/out/x'];
    assert.deepEqual((await tamper.list(store)).filter((n) => n.startsWith('t/')), expected);
    await tamper.remove(store, 't/other');
    assert.equal(await store.stat('t/other'), undefined);
  });

  test('overwrite can also rewrite the recorded digest, as an attacker with write access can', async () => {
    const store = await makeStore();
    await store.put('k', { bytes: 'v1' });
    await tamper.overwrite(store, 'k', Buffer.from('forged'), { sha256: sha256('forged') });
    assert.equal((await store.stat('k'))?.sha256, sha256('forged'));
  });
});
