// Feature importance (XGBoost Booster.get_score).
export { featureImportance, IMPORTANCE_TYPES, type ImportanceType } from './featureImportance.ts';
