// compile-model takes train-model's model from memory (data/memo) only while the model file
// holds exactly the bytes train-model wrote: a model file replaced or edited in between is
// parsed from disk, and what compile-model writes is what compiling the file on disk gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearWrittenMemo, writeRemembering, writtenMemoStats } from '../../../src/data/memo/index.ts';
import { compileModel, fromXgboostJson } from '../../../src/gbdt/index.ts';
import { tempDir } from '../../pipeline/helpers/tempDir.ts';
import { sealed, writeRawCsv } from './helpers.ts';

const cwd = tempDir();
const train = (out: string, rounds: number) =>
  sealed(['component', 'train-model', '--x_train=ptr.csv', '--y_train=ytr.csv', `--num_boost_round=${rounds}`, '--learning_rate=0.3', '--max_depth=4', '--nthread=1', `--model=${out}`], cwd);
const prepared = (async () => {
  writeRawCsv(cwd, 'raw.csv', 300);
  for (const args of [
    ['load-data', `--data_url=${join(cwd, 'raw.csv')}`, '--data_size=0', '--seed=0', '--credit_risk_dataset=data.csv'],
    ['create-train-test-set', '--data=data.csv', '--test_size=0.25', '--seed=0', '--split=random', '--x_train_data=xtr.csv', '--y_train_data=ytr.csv', '--x_test_data=xte.csv', '--y_test_data=yte.csv'],
    ['preprocess-features', '--x_train=xtr.csv', '--x_test=xte.csv', '--x_train_processed=ptr.csv', '--x_test_processed=pte.csv', '--preprocessor=pre.json'],
  ]) {
    const r = await sealed(['component', ...args], cwd);
    assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  }
  assert.equal((await train('other.json', 7)).code, 0);
})();

/** Runs compile-model on model.json; returns its output and what compiling the file on disk gives. */
async function compileBoth(): Promise<{ got: Buffer; fromDisk: Buffer }> {
  const r = await sealed(['component', 'compile-model', '--model=model.json', '--compiled_model=model.sealedgbm'], cwd);
  assert.equal(r.code, 0, r.stderr);
  const fromDisk = Buffer.from(compileModel(fromXgboostJson(readFileSync(join(cwd, 'model.json'), 'utf8'))).serialize());
  return { got: readFileSync(join(cwd, 'model.sealedgbm')), fromDisk };
}

test('compile-model takes the model train-model just wrote from memory: the same bytes as compiling the file', async () => {
  await prepared;
  clearWrittenMemo();
  assert.equal((await train('model.json', 5)).code, 0);
  const hits = writtenMemoStats().hits;
  const { got, fromDisk } = await compileBoth();
  assert.equal(writtenMemoStats().hits, hits + 1, 'taken from memory');
  assert.ok(got.equals(fromDisk));
  assert.equal(writtenMemoStats().entries, 0);
});

test('attack: the model file replaced in place (same inode) after train-model wrote it: compile-model compiles the file on disk', async () => {
  await prepared;
  clearWrittenMemo();
  assert.equal((await train('model.json', 5)).code, 0);
  const ino = statSync(join(cwd, 'model.json')).ino;
  copyFileSync(join(cwd, 'other.json'), join(cwd, 'model.json'));
  assert.equal(statSync(join(cwd, 'model.json')).ino, ino, 'the memo finds its entry by inode');
  const misses = writtenMemoStats().misses;
  const { got, fromDisk } = await compileBoth();
  assert.equal(writtenMemoStats().misses, misses + 1, 'the content check refused the remembered model');
  assert.ok(got.equals(fromDisk));
  assert.equal(fromXgboostJson(readFileSync(join(cwd, 'model.json'), 'utf8')).trees.length, 7);
});

test('attack: one leaf value of the model file edited (same size, mtime restored): compile-model compiles the edited file', async () => {
  await prepared;
  clearWrittenMemo();
  assert.equal((await train('model.json', 5)).code, 0);
  const path = join(cwd, 'model.json');
  const st = statSync(path);
  const text = readFileSync(path, 'utf8');
  const at = text.search(/"base_weights":\[-?\d/);
  assert.ok(at > 0);
  const digit = text.indexOf('[', at) + (text[text.indexOf('[', at) + 1] === '-' ? 2 : 1);
  const edited = text.slice(0, digit) + String((Number(text[digit]) + 1) % 10) + text.slice(digit + 1);
  writeFileSync(path, edited);
  utimesSync(path, st.atime, st.mtime);
  assert.equal(statSync(path).size, st.size);
  const { got, fromDisk } = await compileBoth();
  assert.ok(got.equals(fromDisk));
});

test('attack: a value of another kind remembered for the model file (not a trained model) is not compiled', async () => {
  await prepared;
  clearWrittenMemo();
  const path = join(cwd, 'model.json');
  const bytes = readFileSync(join(cwd, 'other.json'));
  await writeRemembering(path, [bytes], { kind: 'object', tag: 'something-else', value: { trees: [] }, bytes: 1 });
  const { got, fromDisk } = await compileBoth();
  assert.ok(got.equals(fromDisk));
  assert.equal(fromXgboostJson(bytes.toString('utf8')).trees.length, 7);
});
