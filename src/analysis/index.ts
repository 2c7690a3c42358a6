/** Analysis: what a fitted model says, for people. */
export { renderReport, type ReportInput } from './report/index.ts';
