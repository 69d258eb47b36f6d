// `sealed gbdt train | predict | importance`: the tree engine on CSV files, without a pipeline.
// File formats are in gbdtFiles.ts (and README "gbdt command line").
import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { OPTION_LIMITS, parseInteger } from '../parseOptions.ts';
import { lazy } from '../lazyCommand.ts';

// Implementations load when a command runs (lazyCommand.ts): the engine is not part of start-up.
const gbdtImportanceCommand = lazy(() => import('./gbdtImportance.ts'), 'gbdtImportanceCommand');
const gbdtPredictCommand = lazy(() => import('./gbdtPredict.ts'), 'gbdtPredictCommand');
const gbdtTrainCommand = lazy(() => import('./gbdtTrain.ts'), 'gbdtTrainCommand');

export function registerGbdtCommands(program: Command, io: CliIo, signal: AbortSignal, setExit: (code: number) => void): void {
  const gbdt = program.command('gbdt').description('train, predict and explain gradient-boosted trees on CSV files (XGBoost JSON/UBJSON models)');
  const threads = (v: string): number => parseInteger('--threads', v, OPTION_LIMITS.threads);

  gbdt
    .command('train')
    .description('train a model: X has no header, one row per line, empty field = missing; y has one label per line')
    .requiredOption('--data <X.csv>', 'feature matrix')
    .requiredOption('--label <y.csv>', 'labels, one per line')
    .requiredOption('--out <model.json|model.ubj>', 'model to write (format from the extension)')
    .option('--params <params.json>', 'JSON object of XGBoost parameters (num_boost_round, early_stopping_rounds too)')
    .option('--threads <n>', 'worker threads (overrides nthread; default: number of cores)', threads)
    .option('--init-model <model.json|model.ubj>', 'continue training this model (adds num_boost_round rounds)')
    .option('--eval-data <Xv.csv>', 'validation features, scored every round (drives early stopping)')
    .option('--eval-label <yv.csv>', 'validation labels')
    .option('--weights <w.csv>', 'sample weights, one per line')
    .option('--json', 'print the summary as one JSON line')
    .action(async (options) => setExit(await gbdtTrainCommand(options, io, signal)));

  gbdt
    .command('predict')
    .description('write one prediction line per row (one value per class for multi:softprob)')
    .requiredOption('--model <model.json|model.ubj|model.sealedgbm>', 'XGBoost JSON or UBJSON model, or a compiled one (compile-model)')
    .requiredOption('--data <X.csv>', 'feature matrix')
    .requiredOption('--out <pred.csv>', 'predictions to write')
    .option('--output-margin', 'raw margins instead of transformed predictions')
    .option('--contribs', 'TreeSHAP contributions instead: each feature, then the bias (per class for multi-class)')
    .option('--threads <n>', 'scoring threads (default: number of cores)', threads)
    .action(async (options) => setExit(await gbdtPredictCommand(options, io)));

  gbdt
    .command('importance')
    .description('feature importance (XGBoost get_score), highest first')
    .requiredOption('--model <model.json|model.ubj>', 'XGBoost JSON or UBJSON model')
    .option('--type <type>', 'weight, gain, cover, total_gain or total_cover (default gain)')
    .option('--json', 'print one JSON object {feature: value}')
    .action(async (options) => setExit(await gbdtImportanceCommand(options, io)));
}
