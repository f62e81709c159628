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
export * from './fidelity-model.js';
export * from './distribution-distance.js';
export * from './fidelity-charts.js';
export * from './fidelity-score.js';
export * from './fidelity-html.js';
