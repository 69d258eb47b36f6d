// The one catalog of user-facing messages. Every error the project raises is built from an
// entry here, so wording stays consistent and a reviewer can read all messages in one place.
// Keys are `<area>.<problem>`; each entry turns typed arguments into one line of text.
// Add entries to the section of your layer; keep them one line, naming what and where.

type Msg<A> = (a: A) => string;
const msg = <A>(f: Msg<A>): Msg<A> => f;

export const messages = {
  // --- core / files -------------------------------------------------------------------
  'io.notFound': msg((a: { path: string }) => `file not found: ${a.path}`),
  'io.notAFile': msg((a: { path: string }) => `not a regular file: ${a.path}`),
  'io.empty': msg((a: { path: string }) => `file is empty: ${a.path}`),
  'io.readFailed': msg((a: { path: string; reason: string }) => `cannot read ${a.path}: ${a.reason}`),
  'io.writeFailed': msg((a: { path: string; reason: string }) => `cannot write ${a.path}: ${a.reason}`),

  // --- data / csv -------------------------------------------------------------------------
  // (data layer entries go here)
  'data.csv.empty': msg((_: Record<string, never>) => 'CSV file is empty'),
  'data.csv.namesRequired': msg((_: Record<string, never>) => 'a CSV without a header needs columnNames or a schema'),
  'data.csv.duplicateColumn': msg((a: { name: string }) => `duplicate column '${a.name}' in header`),
  'data.csv.unexpectedColumn': msg((a: { name: string; suggestion?: string }) =>
    `unexpected column '${a.name}' in header${a.suggestion !== undefined ? `; did you mean '${a.suggestion}'?` : ''}`),
  'data.csv.missingColumn': msg((a: { name: string }) => `missing column '${a.name}' in header`),
  'data.csv.fieldCount': msg((a: { found: number; expected: number }) => `row has ${a.found} fields, expected ${a.expected}`),
  'data.csv.notANumber': msg((a: { text: string }) => `expected a number, found '${a.text}'`),
  'data.csv.unterminatedQuote': msg((_: Record<string, never>) => 'quoted field is not closed before the end of the file'),
  'data.csv.badOption': msg((a: { option: string; reason: string }) => `invalid CSV option '${a.option}': ${a.reason}`),
  'data.csv.unknownColumn': msg((a: { name: string }) => `no column '${a.name}' in the table`),
  'data.schema.invalid': msg((a: { reason: string }) => `invalid schema: ${a.reason}`),
  'data.schema.missingColumn': msg((a: { name: string }) => `missing column '${a.name}'`),
  'data.schema.unexpectedColumn': msg((a: { name: string }) => `unexpected column '${a.name}'`),
  'data.schema.wrongKind': msg((a: { expected: string; found: string }) => `expected a ${a.expected} column, found a ${a.found} column`),
  'data.schema.missingValue': msg((_: Record<string, never>) => 'missing value in a column that is not nullable'),
  'data.schema.notInteger': msg((a: { value: number }) => `expected an integer, found ${a.value}`),
  'data.schema.notBinary': msg((a: { value: number }) => `label must be 0 or 1, found ${a.value}`),
  'data.schema.unknownCategory': msg((a: { value: string; allowed: readonly string[] }) =>
    `unknown category '${a.value}', expected one of ${a.allowed.join(', ')}`),
  'data.table.notNumeric': msg((a: { name: string }) => `column '${a.name}' is categorical; a numeric matrix needs numeric columns`),
  'data.table.shape': msg((a: { length: number; rows: number; cols: number }) => `matrix of ${a.length} values does not have ${a.rows} rows x ${a.cols} columns`),
  // data / source (fetching a data source)
  'source.badUrl': msg((a: { url: string }) => `not a valid URL or path: ${a.url}`),
  'source.unsupportedScheme': msg((a: { scheme: string; url: string }) => `unsupported scheme '${a.scheme}' in ${a.url}: use http://, https://, file:// or a local path`),
  'source.badOption': msg((a: { option: string; value: string; expected: string }) => `invalid ${a.option} ${a.value}: expected ${a.expected}`),
  'source.httpStatus': msg((a: { status: number; statusText: string; url: string }) => `HTTP ${a.status}${a.statusText ? ` ${a.statusText}` : ''} fetching ${a.url}`),
  'source.unreachable': msg((a: { url: string; reason: string }) => `cannot reach ${a.url}: ${a.reason}`),
  'source.timeout': msg((a: { url: string; ms: number; phase: string }) => `timed out after ${a.ms} ms ${a.phase} ${a.url}`),
  'source.tooLarge': msg((a: { url: string; limit: number }) => `download exceeds the limit of ${a.limit} bytes: ${a.url}`),
  'source.tooManyRedirects': msg((a: { url: string; max: number }) => `more than ${a.max} redirects fetching ${a.url}`),
  'source.insecureRedirect': msg((a: { from: string; to: string }) => `refusing redirect from https to plain http: ${a.from} -> ${a.to}`),
  'source.empty': msg((a: { url: string }) => `download is empty: ${a.url}`),

  // --- ml ---------------------------------------------------------------------------------
  // (ml entries go here)
  // ml / split
  'split.badTestSize': msg((a: { value: string }) => `test size must be a fraction strictly between 0 and 1, got ${a.value}`),
  'split.tooFewRows': msg((a: { what: string; count: number; testSize: number; nTest: number }) => `cannot split ${a.count} ${a.what} with test size ${a.testSize}: ${a.nTest} go to test and none would be left for train`),
  'split.badSeed': msg((a: { value: string }) => `split seed must be an integer in [0, 2^32 - 1], got ${a.value}`),
  'split.badGroup': msg((a: { row: number; value: string }) => `group label at row ${a.row} must be an integer, got ${a.value}`),
  // ml / preprocess
  'preprocess.badSpec': msg((a: { problem: string }) => `invalid column transformer spec: ${a.problem}`),
  'preprocess.missingColumn': msg((a: { column: string }) => `input has no column '${a.column}', which the preprocessor needs`),
  'preprocess.wrongColumnKind': msg((a: { column: string; expected: string; actual: string }) => `column '${a.column}' must be ${a.expected} for the preprocessor, got ${a.actual}`),
  'preprocess.infiniteValue': msg((a: { column: string; row: number; value: number }) => `column '${a.column}' row ${a.row} holds ${a.value}; only finite numbers or missing values are accepted`),
  'preprocess.noRows': msg((a: { transformer: string }) => `cannot fit '${a.transformer}' on a table with no rows`),
  'preprocess.noObservedValues': msg((a: { column: string; transformer: string }) => `column '${a.column}' has no non-missing values; cannot fit '${a.transformer}'`),
  'preprocess.badState': msg((a: { problem: string }) => `invalid sealed preprocessor: ${a.problem}`),
  'preprocess.unsupportedVersion': msg((a: { format: string; version: string }) => `unsupported sealed preprocessor format '${a.format}' version ${a.version}; expected 'sealed-preprocessor' version 1`),
  // ml / metrics
  'metrics.lengthMismatch': msg((a: { what: string; a: number; b: number }) => `${a.what} have different lengths: ${a.a} and ${a.b}`),
  'metrics.empty': msg((a: { what: string }) => `${a.what} is empty`),
  'metrics.badBinaryLabel': msg((a: { index: number; value: string }) => `y_true[${a.index}] is ${a.value}; binary labels must be 0 or 1`),
  'metrics.badLabel': msg((a: { what: string; index: number; value: string }) => `${a.what}[${a.index}] is ${a.value}; class labels must be integers`),
  'metrics.nonFiniteScore': msg((a: { index: number; value: string }) => `y_score[${a.index}] is ${a.value}; scores must be finite`),
  'metrics.notMonotonic': msg(() => 'x is neither increasing nor decreasing; the area under the curve is undefined'),
  'metrics.singleClass': msg(() => 'Only one class present in y_true. ROC AUC score is not defined in that case.'),
  'metrics.targetNamesMismatch': msg((a: { classes: number; names: number }) => `Number of classes, ${a.classes}, does not match size of target_names, ${a.names}. Try specifying the labels parameter`),
  // ml / augment
  'augment.badSize': msg((a: { value: string }) => `data size must be a non-negative integer, got ${a.value}`),
  'augment.badSeed': msg((a: { value: string }) => `augmentation seed must be an integer in [0, 2^32 - 1], got ${a.value}`),
  'augment.unknownColumn': msg((a: { column: string }) => `augmentation names a column the table does not have: '${a.column}'`),
  'augment.wrongColumnKind': msg((a: { column: string; expected: string }) => `augmentation of column '${a.column}' needs a ${a.expected} column`),
  'augment.labelPerturbed': msg((a: { column: string }) => `augmentation must not perturb the label column '${a.column}'`),
  'augment.badSpec': msg((a: { column: string; problem: string }) => `augmentation spec for column '${a.column}': ${a.problem}`),
  'augment.emptyInput': msg((a: { dataSize: number }) => `cannot augment an empty table to ${a.dataSize} rows`),
  'augment.cannotDeduplicate': msg((a: { row: number; attempts: number }) => `augmented row ${a.row} still duplicates an earlier row after ${a.attempts} redraws; the noise spec is too narrow for this data size`),

  // --- gbdt -------------------------------------------------------------------------------
  'gbdt.unknownParam': msg((a: { name: string; suggestion?: string }) => `unknown training parameter '${a.name}'${a.suggestion !== undefined ? `; did you mean '${a.suggestion}'?` : ''}`),
  'gbdt.duplicateParam': msg((a: { name: string; alias: string }) => `training parameter '${a.name}' given twice (also as '${a.alias}')`),
  'gbdt.badKernels': msg((a: { value: string }) => `environment variable SEALED_GBDT_KERNELS must be auto, js or wasm, got '${a.value}'`),
  'gbdt.badParam': msg((a: { name: string; value: string; expected: string }) => `training parameter '${a.name}' must be ${a.expected}, got ${a.value}`),
  'gbdt.workerFailed': msg((a: { reason: string }) => `worker thread failed: ${a.reason}`),
  'gbdt.badMatrix': msg((a: { reason: string }) => `invalid feature matrix: ${a.reason}`),
  'gbdt.badFeatureValue': msg((a: { row: number; column: number; value: string }) => `feature value ${a.value} at row ${a.row}, column ${a.column} is not finite (use NaN for missing)`),
  'gbdt.labelCount': msg((a: { labels: number; rows: number }) => `got ${a.labels} labels for ${a.rows} matrix rows`),
  'gbdt.badLabel': msg((a: { objective: string; row: number; value: string; expected: string }) => `label ${a.value} at row ${a.row} is invalid for ${a.objective}: labels must be ${a.expected}`),
  'gbdt.weightCount': msg((a: { weights: number; rows: number; set?: string }) => `got ${a.weights} weights for ${a.rows} rows${a.set !== undefined ? ` of eval set '${a.set}'` : ''}`),
  'gbdt.badWeight': msg((a: { row: number; value: string; set?: string }) => `weight ${a.value} at row ${a.row}${a.set !== undefined ? ` of eval set '${a.set}'` : ''} is invalid: weights must be finite and >= 0`),
  'gbdt.badEvalSet': msg((a: { set: string; reason: string }) => `eval set '${a.set}': ${a.reason}`),
  'gbdt.badEvalLabel': msg((a: { set: string; objective: string; row: number; value: string; expected: string }) => `label ${a.value} at row ${a.row} of eval set '${a.set}' is invalid for ${a.objective}: labels must be ${a.expected}`),
  'gbdt.earlyStoppingNeeds': msg((a: { what: string }) => `early_stopping_rounds needs ${a.what}`),
  'gbdt.initModelMismatch': msg((a: { what: string; model: string; given: string }) => `cannot continue training the init model: its ${a.what} is ${a.model}, but training uses ${a.given}`),
  'gbdt.compiledInvalid': msg((a: { file: string; reason: string }) => `${a.file} is not a valid compiled model: ${a.reason}`),
  'gbdt.featureCount': msg((a: { expected: number; got: number }) => `model expects ${a.expected} features, matrix has ${a.got} columns`),
  'gbdt.modelInvalid': msg((a: { reason: string; format?: string }) => `invalid XGBoost ${a.format ?? 'JSON'} model: ${a.reason}`),
  'gbdt.modelUnsupported': msg((a: { what: string }) => `unsupported XGBoost model: ${a.what}`),
  'gbdt.nonFiniteModelValue': msg((a: { what: string }) => `cannot save model: ${a.what} is not finite`),
  'gbdt.modelFormat': msg((a: { path: string }) => `cannot tell the model format of ${a.path}: the file name must end in .json or .ubj`),
  'gbdt.iterationRange': msg((a: { begin: number; end: number; rounds: number; reason: string }) => `invalid iterationRange [${a.begin}, ${a.end}) for a model of ${a.rounds} rounds: ${a.reason}`),
  'gbdt.importanceType': msg((a: { type: string }) => `unknown feature importance type '${a.type}', expected one of weight, gain, cover, total_gain, total_cover`),

  // --- pipeline ---------------------------------------------------------------------------
  // (pipeline entries go here)
  'pipeline.badName': msg((a: { what: string; name: string; rule: string }) => `${a.what} name '${a.name}' is invalid: ${a.rule}`),
  'pipeline.duplicateKey': msg((a: { owner: string; key: string }) => `${a.owner} declares '${a.key}' more than once (inputs, outputs and parameters share one namespace)`),
  'pipeline.badDefinition': msg((a: { owner: string; reason: string }) => `${a.owner}: ${a.reason}`),
  'pipeline.paramType': msg((a: { owner: string; param: string; expected: string; got: string }) => `parameter '${a.param}' of ${a.owner} must be ${a.expected}, got ${a.got}`),
  'pipeline.paramRange': msg((a: { owner: string; param: string; bound: string; got: string }) => `parameter '${a.param}' of ${a.owner} must be ${a.bound}, got ${a.got}`),
  'pipeline.paramEnum': msg((a: { owner: string; param: string; allowed: readonly string[]; got: string }) => `parameter '${a.param}' of ${a.owner} must be one of ${a.allowed.join(', ')}, got ${a.got}`),
  'pipeline.paramMissing': msg((a: { owner: string; param: string }) => `parameter '${a.param}' of ${a.owner} is required and has no default`),
  'pipeline.paramUnknown': msg((a: { owner: string; param: string; known: readonly string[] }) => `${a.owner} has no parameter '${a.param}' (known: ${a.known.join(', ') || 'none'})`),
  'pipeline.duplicateTask': msg((a: { pipeline: string; task: string }) => `pipeline '${a.pipeline}' has two tasks named '${a.task}'; pass a distinct { name } to p.task`),
  'pipeline.unknownTask': msg((a: { task: string; ref: string }) => `task '${a.task}' refers to unknown task '${a.ref}'`),
  'pipeline.unknownOutput': msg((a: { task: string; input: string; producer: string; output: string; known: readonly string[] }) => `input '${a.input}' of task '${a.task}': task '${a.producer}' has no output '${a.output}' (outputs: ${a.known.join(', ') || 'none'})`),
  'pipeline.artifactTypeMismatch': msg((a: { task: string; input: string; expected: string; producer: string; output: string; got: string }) => `input '${a.input}' of task '${a.task}' expects ${a.expected} but output '${a.output}' of task '${a.producer}' is ${a.got}`),
  'pipeline.missingInput': msg((a: { task: string; input: string }) => `task '${a.task}' does not connect its required input '${a.input}'`),
  'pipeline.unknownInput': msg((a: { task: string; input: string; known: readonly string[] }) => `task '${a.task}' has no input '${a.input}' (inputs: ${a.known.join(', ') || 'none'})`),
  'pipeline.paramWireType': msg((a: { task: string; param: string; expected: string; source: string; got: string }) => `parameter '${a.param}' of task '${a.task}' is ${a.expected} but ${a.source} is ${a.got}`),
  'pipeline.cycle': msg((a: { tasks: readonly string[] }) => `tasks depend on each other in a cycle: ${a.tasks.join(' -> ')}`),
  'pipeline.badDeployOption': msg((a: { where: string; field: string; reason: string }) => `${a.where}: ${a.field}: ${a.reason}`),
  'pipeline.deployConflict': msg((a: { component: string; tasks: readonly string[] }) => `tasks ${a.tasks.map((t) => `'${t}'`).join(' and ')} run component '${a.component}' (one executor) but are given different deploy options`),
  'pipeline.irInvalid': msg((a: { document: string; path: string; reason: string }) => `compiled ${a.document} fails the IR schema at ${a.path || '/'}: ${a.reason}`),
  'pipeline.badSpec': msg((a: { reason: string }) => `invalid pipeline spec: ${a.reason}`),
  'pipeline.badExecutorInput': msg((a: { component: string; reason: string }) => `invalid executor input for component '${a.component}': ${a.reason}`),
  'pipeline.outputNotWritten': msg((a: { component: string; output: string; path: string }) => `component '${a.component}' finished without writing its output '${a.output}' (${a.path})`),
  'pipeline.badMetadata': msg((a: { component: string; output: string; reason: string }) => `metadata of output '${a.output}' of component '${a.component}' ${a.reason}`),
  'pipeline.unknownComponent': msg((a: { name: string; known: readonly string[] }) => `unknown component '${a.name}' (components: ${a.known.join(', ') || 'none'})`),
  'pipeline.duplicateComponent': msg((a: { name: string }) => `two different components are named '${a.name}'`),
  'pipeline.taskFailed': msg((a: { task: string; reason: string }) => `task '${a.task}' failed: ${a.reason}`),
  'pipeline.cancelled': msg((_a: Record<string, never>) => 'run cancelled'),
  'pipeline.runDirInUse': msg((a: { path: string }) => `run directory already holds a run (${a.path}); choose another run directory or delete it`),
  'pipeline.badStoreKey': msg((a: { key: string }) => `invalid artifact key '${a.key}': must be a relative path without '..'`),
  'pipeline.inputUnknown': msg((a: { owner: string; input: string; known: readonly string[] }) => `${a.owner} has no input artifact '${a.input}' (inputs: ${a.known.join(', ') || 'none'})`),
  'pipeline.inputMissing': msg((a: { owner: string; input: string }) => `input artifact '${a.input}' of ${a.owner} is required`),

  // --- pipeline / kfp client ----------------------------------------------------------------
  // Never put a token or cookie value into these: name where a credential came from, not what it is.
  'kfp.badHost': msg((a: { host: string; reason: string }) => `KFP host '${a.host}' is invalid: ${a.reason}`),
  'kfp.unreachable': msg((a: { host: string; reason: string }) => `cannot reach KFP at ${a.host}: ${a.reason}`),
  'kfp.tlsUntrusted': msg((a: { host: string; reason: string }) => `cannot reach KFP at ${a.host}: TLS certificate not trusted (${a.reason}); give the CA that signed it with --ca-file PEM`),
  'kfp.authRefused': msg((a: { host: string; status: number; sent: string; text: string }) => `KFP at ${a.host} refused the ${a.sent} (HTTP ${a.status}: ${a.text}); give a bearer token with KFP_TOKEN or --token-file, or a session cookie name=value with KFP_COOKIE or --cookie-file`),
  'kfp.httpStatus': msg((a: { host: string; action: string; status: number; text: string }) => `KFP at ${a.host}: ${a.action} failed with HTTP ${a.status}: ${a.text}`),
  'kfp.badResponse': msg((a: { host: string; action: string; reason: string }) => `KFP at ${a.host}: unexpected answer to ${a.action}: ${a.reason}`),
  'kfp.noRun': msg((a: { runId: string }) => `no run ${a.runId}`),
  'kfp.noExperiment': msg((a: { name: string; namespace?: string }) => `no experiment '${a.name}'${a.namespace !== undefined ? ` in namespace '${a.namespace}'` : ''}`),
  'kfp.ambiguousName': msg((a: { what: string; name: string; count: number }) => `${a.count} ${a.what}s are named '${a.name}'; the name must be unique`),
  'kfp.runNotSucceeded': msg((a: { runId: string; state: string; reason?: string }) => `run ${a.runId} ended ${a.state}${a.reason !== undefined ? `: ${a.reason}` : ''}`),
  'kfp.badPipelineFile': msg((a: { path: string; reason: string }) => `${a.path} is not a compiled KFP pipeline: ${a.reason}`),
  'kfp.badParamAssignment': msg((a: { text: string }) => `--param '${a.text}' must be key=value`),
  'kfp.duplicateParam': msg((a: { name: string }) => `--param ${a.name} is given more than once`),
  'kfp.unknownParam': msg((a: { pipeline: string; name: string; suggestion?: string; known: readonly string[] }) => `pipeline '${a.pipeline}' has no parameter '${a.name}'${a.suggestion !== undefined ? `; did you mean '${a.suggestion}'?` : ` (parameters: ${a.known.join(', ') || 'none'})`}`),
  'kfp.paramType': msg((a: { name: string; value: string; expected: string }) => `--param ${a.name}=${a.value}: expected ${a.expected}`),
  'kfp.paramMissing': msg((a: { pipeline: string; name: string; type: string }) => `pipeline '${a.pipeline}' needs --param ${a.name}=<${a.type}> (it has no default)`),
  'kfp.badCredential': msg((a: { source: string; expected: string }) => `${a.source} must hold ${a.expected}`),
  'kfp.twoCredentials': msg((a: { token: string; cookie: string }) => `give a bearer token or a session cookie, not both (token from ${a.token}, cookie from ${a.cookie})`),
  'kfp.badCaFile': msg((a: { path: string; reason: string }) => `--ca-file ${a.path} is not a PEM CA certificate: ${a.reason}`),

  // --- loan-default -----------------------------------------------------------------------
  // (loan-default entries go here)
  'loanDefault.emptyMatrix': msg((a: { path: string }) => `feature matrix file is empty: ${a.path}`),
  'loanDefault.matrixNotNumeric': msg((a: { path: string; column: number }) => `feature matrix ${a.path} has non-numeric values in column ${a.column}`),
  'loanDefault.explainInputs': msg(() => `explain=true needs batch-inference's 'model' (the trained model) and 'preprocessor' inputs`),
  'loanDefault.rowMismatch': msg((a: { x: string; xRows: number; y: string; yRows: number }) => `${a.x} has ${a.xRows} rows but ${a.y} has ${a.yRows} labels`),
  'synthetic.badOption': msg((a: { option: string; value: string }) => `synthetic data ${a.option} must be a non-negative integer, got ${a.value}`),
  'roc.badCurve': msg((a: { problem: string }) => `cannot plot the ROC curve: ${a.problem}`),

  // --- cli --------------------------------------------------------------------------------
  // (cli entries go here)
  'cli.badInteger': msg((a: { option: string; value: string; rule: string }) => `option ${a.option} must be ${a.rule}, got '${a.value}'`),
  'cli.badValue': msg((a: { option: string; value: string; expected: string }) => `option ${a.option} must be ${a.expected}, got '${a.value}'`),
  'cli.usage': msg((a: { reason: string }) => a.reason),
  'cli.unknownOption': msg((a: { option: string; command: string; known: readonly string[] }) => `unknown option ${a.option} for ${a.command} (options: ${a.known.join(', ') || 'none'})`),
  'cli.missingOption': msg((a: { option: string; command: string }) => `${a.command} needs ${a.option}`),
  'cli.runOptionUnsupported': msg((a: { option: string; pipeline: string }) => `option ${a.option} is not supported by pipeline '${a.pipeline}' (it has no parameter for it)`),
  'cli.runFailed': msg((a: { runDir: string; reason: string }) => `run failed (${a.runDir}): ${a.reason}`),
  'cli.runInputUnsupported': msg((a: { option: string; pipeline: string }) => `option ${a.option} is not supported by pipeline '${a.pipeline}' (it has no input artifact for it)`),
  // cli / gbdt (files of `sealed gbdt`; the location says which file, line and column)
  'cli.blankLine': msg((a: { what: string }) => `blank line; expected one ${a.what} per line`),
  'cli.badNumber': msg((a: { what: string; text: string; expected: string }) => `${a.what} '${a.text}' must be ${a.expected}`),
  'cli.rowCount': msg((a: { file: string; count: number; what: string; data: string; rows: number }) => `${a.file} has ${a.count} ${a.what} but ${a.data} has ${a.rows} rows`),
  'cli.badJson': msg((a: { reason: string }) => `invalid JSON: ${a.reason}`),
  'cli.badDeployFlag': msg((a: { option: string; reason: string }) => `option ${a.option}: ${a.reason}`),
  'cli.unknownPipeline': msg((a: { name: string; known: readonly string[] }) => `unknown pipeline '${a.name}' (pipelines: ${a.known.join(', ')})`),
  'cli.serveInputs': msg(() => 'serve needs either --run-dir DIR or both --model and --preprocessor'),
  'cli.contribsNeedModel': msg((a: { file: string }) => `${a.file} is a compiled model, which keeps no node covers: --contribs needs the XGBoost JSON or UBJSON model`),
  'cli.badParamsFile': msg((a: { reason: string }) => `training parameters ${a.reason}`),
  'cli.badLabel': msg((a: { value: string; objective: string; expected: string }) => `label ${a.value} is invalid for ${a.objective}: labels must be ${a.expected}`),
  'cli.interrupted': msg((_a: Record<string, never>) => 'interrupted; nothing was written'),

  // --- dashboard --------------------------------------------------------------------------
  // Never put a password, session id or CSRF token into these: they are sent to browsers and printed.
  'dashboard.notLoggedIn': msg((_a: Record<string, never>) => 'not logged in, or the session has expired: log in again'),
  'dashboard.badCsrfToken': msg((_a: Record<string, never>) => "missing or wrong CSRF token: send the session's csrfToken in the x-csrf-token header"),
  'dashboard.badLogin': msg((_a: Record<string, never>) => 'wrong user name or password'),
  'dashboard.tooManyLogins': msg((a: { seconds: number }) => `too many failed logins from this address; try again in ${a.seconds} s`),
  'dashboard.passwordTooLong': msg((a: { source: string; bytes: number }) => `the password from ${a.source} is ${a.bytes} bytes long; bcrypt ignores everything past 72 bytes, so passwords over 72 bytes are refused`),
  'dashboard.passwordTooShort': msg((a: { source: string; min: number }) => `the password from ${a.source} is shorter than ${a.min} characters`),
  'dashboard.twoPasswordSources': msg((_a: Record<string, never>) => 'give the first dashboard password by SEALED_UI_PASSWORD or by --password-file, not both'),
  'dashboard.noPassword': msg((a: { path: string }) => `no dashboard password stored in ${a.path}; start sealed ui once to set one`),
  'dashboard.badPasswordFile': msg((a: { path: string; reason: string }) => `${a.path} is not a dashboard password file: ${a.reason}`),
  'dashboard.badBcryptCost': msg((a: { cost: number; min: number }) => `bcrypt cost must be an integer from ${a.min} to 31, got ${a.cost}`),
  'dashboard.certAndKey': msg((_a: Record<string, never>) => '--cert and --key must be given together'),
  'dashboard.tlsWithInsecureHttp': msg((_a: Record<string, never>) => '--insecure-http serves plain HTTP and cannot be combined with --cert/--key'),
  'dashboard.badTlsFile': msg((a: { what: string; path: string; reason: string }) => `${a.path} is not a usable PEM ${a.what}: ${a.reason}`),
  'dashboard.keyMismatch': msg((a: { cert: string; key: string }) => `private key ${a.key} does not belong to certificate ${a.cert}`),
  'dashboard.unknownRun': msg((a: { run: string }) => `no run '${a.run}'`),
  'dashboard.unknownTask': msg((a: { run: string; task: string }) => `run '${a.run}' has no task '${a.task}'`),
  'dashboard.unknownOutput': msg((a: { run: string; task: string; output: string }) => `task '${a.task}' of run '${a.run}' has no output '${a.output}'`),
  'dashboard.outsideRun': msg((a: { run: string; file: string }) => `file '${a.file}' of run '${a.run}' is outside the run folder; refused`),
  'dashboard.notAFile': msg((a: { run: string; file: string }) => `'${a.file}' of run '${a.run}' is not a regular file`),
  'dashboard.wrongView': msg((a: { run: string; task: string; output: string; view: string }) => `output '${a.output}' of task '${a.task}' in run '${a.run}' is not ${a.view}`),
  'dashboard.tooLargeToShow': msg((a: { run: string; file: string; size: number; limit: number }) => `file '${a.file}' of run '${a.run}' is ${a.size} bytes; only files up to ${a.limit} bytes are shown, download it instead`),
  'dashboard.badArtifact': msg((a: { run: string; file: string; reason: string }) => `file '${a.file}' of run '${a.run}': ${a.reason}`),
  'dashboard.noMetrics': msg((a: { run: string; tasks: readonly string[] }) => `run '${a.run}' has no metrics yet: ${a.tasks.join(' and ')} must succeed first`),
  'dashboard.badQuery': msg((a: { name: string; value: string; expected: string }) => `query parameter '${a.name}' must be ${a.expected}, got '${a.value}'`),
  'dashboard.badCursor': msg((a: { cursor: number }) => `cursor ${a.cursor} is not the start of a row; use 0 or the nextCursor of an earlier page`),
  'dashboard.csvRowTooLong': msg((a: { offset: number; limit: number }) => `the CSV row at byte ${a.offset} is longer than ${a.limit} bytes`),
  'dashboard.badBody': msg((a: { field: string; reason: string }) => `request body${a.field ? ` field '${a.field}'` : ''}: ${a.reason}`),
  'dashboard.parameterTooLong': msg((a: { param: string; limit: number }) => `parameter '${a.param}' is longer than ${a.limit} characters`),
  'dashboard.runInProgress': msg((a: { run: string }) => `run '${a.run}', started from the dashboard, is still running; start another when it has finished`),
  'dashboard.runExists': msg((a: { run: string }) => `run '${a.run}' already exists`),
  'dashboard.bodyTooLarge': msg((a: { limit: number }) => `request body is larger than ${a.limit} bytes`),
  'dashboard.noRoute': msg((a: { method: string; url: string }) => `no API route ${a.method} ${a.url}`),
  'dashboard.appNotBuilt': msg((a: { dir: string }) => `the dashboard app is not built (no ${a.dir}/index.html): run npm run build:dashboard`),
  'dashboard.internal': msg((_a: Record<string, never>) => 'internal error; the server output says more'),
} as const;

export type MessageCode = keyof typeof messages;
export type MessageArgs<C extends MessageCode> = Parameters<(typeof messages)[C]>[0];

export function formatMessage<C extends MessageCode>(code: C, args: MessageArgs<C>): string {
  return (messages[code] as Msg<MessageArgs<C>>)(args);
}
