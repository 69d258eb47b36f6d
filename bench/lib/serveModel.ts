// bench:serve's model: trained like the reference (500 rounds, depth 10) on synthetic
// applicants, written with its fitted preprocessor into the directory given, plus sample
// request bodies (one record each, and a batch of 100).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { valueAt } from '../../src/data/index.ts';
import { train } from '../../src/gbdt/index.ts';
import { createColumnTransformer } from '../../src/ml/index.ts';
import { FEATURE_COLUMNS, generateSyntheticCreditRisk, LABEL_COLUMN, LOAN_DEFAULT_PREPROCESSOR } from '../../src/pipelines/loan-default/index.ts';

const dir = process.argv[2];
const table = generateSyntheticCreditRisk({ rows: 20_000, seed: 1 });
const features = table.select([...FEATURE_COLUMNS]);
const { fitted, matrix } = createColumnTransformer(LOAN_DEFAULT_PREPROCESSOR).fitTransform(features);
const labels = Float64Array.from({ length: table.numRows }, (_, i) => Number(valueAt(table.column(LABEL_COLUMN), i)));
const booster = train(matrix, labels, { objective: 'binary:logistic', max_depth: 10, min_child_weight: 6, eta: 0.02, num_boost_round: 500 });
writeFileSync(join(dir, 'serve_model.json'), booster.toXgboostJson());
writeFileSync(join(dir, 'serve_preprocessor.json'), JSON.stringify(fitted.toJSON()));
const bodies = Array.from({ length: 200 }, (_, i) => JSON.stringify(Object.fromEntries(FEATURE_COLUMNS.map((f) => [f, valueAt(features.column(f), i)]))));
writeFileSync(join(dir, 'serve_bodies.json'), JSON.stringify({ bodies, batch: `[${bodies.slice(0, 100).join(',')}]` }));
console.log(JSON.stringify({ trees: booster.model.trees.length }));
