// Step 1 — load the credit-risk CSV (or generate the embedded synthetic default) and, when
// data_size asks for more rows than the source has, augment it as the reference does.
import { fetchDataSource, numericColumn, Table } from '../../../data/index.ts';
import { augmentRows } from '../../../ml/index.ts';
import { artifactOutput, defineComponent, integerParam, stringParam } from '../../../pipeline/index.ts';
import { CREDIT_RISK_AUGMENT_SPEC } from '../augmentSpec.ts';
import { ARTIFACT_FORMATS, DEFAULT_ARTIFACT_FORMAT, readRawDataset, SOURCE_ROW_COLUMN, writeRawDataset } from '../datasetFiles.ts';
import { LABEL_COLUMN } from '../schema.ts';
import { DEFAULT_SYNTHETIC_ROWS, generateSyntheticCreditRisk } from '../syntheticData.ts';

export const loadData = defineComponent({
  name: 'load-data',
  description: 'Loads the credit-risk dataset (embedded synthetic data when data_url is empty) and augments it to data_size rows',
  parameters: {
    data_url: stringParam(''),
    // Memory grows with the rows: a run peaks at about 700 MiB per million rows (README,
    // Benchmarks: 698 MiB at 1,000,000), so 10 million rows (~7 GiB) is the most an 8 GiB
    // machine or pod holds; the training step checks its own share against the memory budget.
    data_size: integerParam(0, { min: 0, max: 10_000_000 }),
    seed: integerParam(0, { min: 0, max: 0xffffffff }),
    // The file format of the data artifacts (datasetFiles.ts): one value for the whole run.
    artifact_format: stringParam(DEFAULT_ARTIFACT_FORMAT, { enum: [...ARTIFACT_FORMATS] }),
  },
  outputs: { credit_risk_dataset: artifactOutput('system.Dataset', { extension: '.csv', extensionParameter: 'artifact_format' }) },
  run: async (ctx) => {
    const { data_url: url, data_size: dataSize, seed } = ctx.parameters;
    const out = ctx.outputs.credit_risk_dataset;
    let table: Table;
    if (url === '') {
      table = generateSyntheticCreditRisk({ rows: DEFAULT_SYNTHETIC_ROWS, seed });
      ctx.log(`SYNTHETIC DATA: no data_url given, generated ${table.numRows} synthetic credit-risk rows (seed ${seed}); not real applicants`);
      out.setMetadata({
        source: 'embedded-synthetic',
        synthetic: true,
        sourceRows: table.numRows,
        notice: `SYNTHETIC data: ${table.numRows} generated credit-risk rows (seed ${seed}), not real applicants; use --data-url for real data`,
      });
    } else {
      // Downloaded to a scratch file beside the output (sealed in a sealed run, so the source's
      // plaintext never lands on disk); removed afterwards, and by the executor on failure.
      const download = ctx.scratch('source.csv');
      try {
        // Where data may come from is the runtime's policy (CLI flags, SEALED_DATA_POLICY), not a parameter;
        // content that is not CSV text is refused without being quoted in the error.
        const fetched = await fetchDataSource(url, { destPath: download, policy: ctx.runtime.dataPolicy, expect: 'csv' });
        ctx.log(`read ${fetched.bytes} bytes from ${fetched.source} (sha256 ${fetched.sha256})`);
        table = await readRawDataset(download, fetched.source);
        out.setMetadata({ source: fetched.source, synthetic: false, sourceRows: table.numRows, sourceSha256: fetched.sha256 });
      } finally {
        await download.remove();
      }
    }
    if (dataSize > 0 && dataSize >= table.numRows) {
      const { table: grown, sourceRow } = augmentRows(table.drop([SOURCE_ROW_COLUMN].filter((c) => table.has(c))), {
        dataSize,
        seed,
        label: LABEL_COLUMN,
        spec: CREDIT_RISK_AUGMENT_SPEC,
      });
      ctx.log(`augmented ${table.numRows} rows to ${grown.numRows} (seed ${seed})`);
      table = new Table([...grown.columns, numericColumn(SOURCE_ROW_COLUMN, Float64Array.from(sourceRow))]);
    } else if (dataSize > 0) {
      ctx.log(`data_size ${dataSize} is below the ${table.numRows} source rows: data used as is (as the reference does)`);
    }
    out.setMetadata({ rows: table.numRows });
    await writeRawDataset(table, out, ctx.parameters.artifact_format);
  },
});
