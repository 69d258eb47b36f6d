// bench:explain's child for our engine: TreeSHAP contributions of the first ROWS test rows on
// THREADS threads (ContributionsPool, what batch-inference explain=true uses); writes them as
// float64 to OUT and prints one JSON line {seconds, loadSeconds}. `seconds` covers what the
// peer's does: preparing the model's tables is in loadSeconds, the rows' contributions in seconds.
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { readFloat64File } from './float64File.ts';
import { ContributionsPool, parseModel } from '../../src/gbdt/index.ts';

const [modelPath, xTest, cols, rows, threads, out] = process.argv.slice(2);
const nCols = Number(cols);
const nRows = Number(rows);
const m = { data: readFloat64File(xTest).subarray(0, nRows * nCols), nRows, nCols };
const loadStart = performance.now();
const pool = new ContributionsPool(parseModel(readFileSync(modelPath), 'json'), Number(threads));
const loadSeconds = (performance.now() - loadStart) / 1000;
const started = performance.now();
const contribs = await pool.contributions(m);
const seconds = (performance.now() - started) / 1000;
pool.dispose();
writeFileSync(out, new Uint8Array(contribs.buffer, contribs.byteOffset, contribs.byteLength));
console.log(JSON.stringify({ seconds, loadSeconds }));
