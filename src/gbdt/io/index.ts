// XGBoost model formats: JSON and UBJSON, read from 1.x and 2.x, written as 1.7 writes them.
export { parseModel, serializeModel, modelFormatFromPath, detectModelFormat, type ModelFormat } from './modelFile.ts';
export { toXgboostJson, XGBOOST_JSON_VERSION } from './xgboostJsonWrite.ts';
export { fromXgboostJson } from './xgboostJsonRead.ts';
export { toXgboostUbj, fromXgboostUbj } from './xgboostUbj.ts';
export { formatFloat32 } from './float32Text.ts';
