// XGBoost JSON model format: save (`toXgboostJson`) and load (`fromXgboostJson`).
export { toXgboostJson, XGBOOST_JSON_VERSION } from './xgboostJsonWrite.ts';
export { fromXgboostJson } from './xgboostJsonRead.ts';
export { formatFloat32 } from './float32Text.ts';
