/**
 * Fidelity: how closely a target (a synthetic copy) follows a source profile.
 * The report model, the pure scoring, the distances it uses, and the HTML report.
 *
 * @example
 * ```ts
 * import { fidelityHtml, scoreFidelity } from '@understudy/core';
 * const report = scoreFidelity(sourceProfile, targetProfile, { scale: 0.1 });
 * ```
 */
export {
  FIDELITY_VERSION,
  FidelityMetricName,
  FidelityMetric,
  FidelityBar,
  FidelityChart,
  FidelityColumn,
  FidelityTable,
  FidelityReportModel,
  type FidelityReport,
} from './fidelity-model.js';
export {
  orderedValue,
  columnCdf,
  cdfAt,
  ksDistance,
  cdfQuantile,
  categoryLabel,
  categoryShares,
  totalVariation,
  bucketShares,
  type CdfPiece,
  type Cdf,
  OTHER,
} from './distribution-distance.js';
export { categoricalChart, numericChart, lengthsChart, fanoutChart } from './fidelity-charts.js';
export {
  expectedDistinct,
  scoreColumn,
  scoreFidelity,
  worstColumns,
  type ScoreFidelityOptions,
  type KeyRole,
  type ColumnContext,
} from './fidelity-score.js';
export { escapeHtml, fidelityHtml } from './fidelity-html.js';
