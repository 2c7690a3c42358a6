/**
 * Type-level checks that the route answers' schemas (responses.ts, dataResponses.ts) agree with the
 * types of what the routes send; nothing here runs. As src/app/schemas/agreement.ts, whose helpers it
 * uses: same fields, and what the code makes is a value of the schema's type.
 */
import type { z } from 'zod';
import type { Check, Extends, SameKeys } from '../app/schemas/agreement.ts';
import type { DatasetInfo, HarmonizeResult, HarmonizedInfo, IngestResult, Report } from '../data/index.ts';
import type { Comparison } from '../analysis/compare.ts';
import type { Catalog } from '../models/catalog.ts';
import type { checkPriors } from '../app/fit.ts';
import type { curvePriorsFrom } from '../models/bayesian/curvePriorsFrom.ts';
import type { Detection } from './detect.ts';
import type { TrackResult } from '../app/track.ts';
import type { planTrackSchema } from './planResponses.ts';
import type { datasetSchema, detectionSchema, harmonizeReportSchema, harmonizeResultSchema, harmonizedSchema, ingestedSchema } from './dataResponses.ts';
import type { catalogSchema, curvePriorsSchema, modelComparisonSchema, priorCheckAnswerSchema } from './responses.ts';

type Out<S extends z.ZodType> = z.infer<S>;
type Both<A, B> = Extends<A, B> extends true ? Extends<B, A> : false;

export type DetectionAgrees = [Check<SameKeys<Out<typeof detectionSchema>, Detection>>, Check<SameKeys<Out<typeof detectionSchema>['plan'], Detection['plan']>>];
export type DatasetAgrees = [Check<SameKeys<Out<typeof datasetSchema>, DatasetInfo>>, Check<Both<Out<typeof datasetSchema>, DatasetInfo>>];
export type IngestedAgrees = [Check<SameKeys<Out<typeof ingestedSchema>, IngestResult>>, Check<Extends<Omit<Out<typeof ingestedSchema>, 'problems'>, Omit<IngestResult, 'problems'>>>];
// A report's means and correlations are NaN (null in JSON) where a column is empty or constant.
export type ReportAgrees = [Check<SameKeys<Out<typeof harmonizeReportSchema>, Report>>, Check<Extends<Report, Out<typeof harmonizeReportSchema>>>];
export type HarmonizedAgrees = [Check<SameKeys<Out<typeof harmonizedSchema>, HarmonizedInfo>>, Check<Extends<Out<typeof harmonizedSchema>, HarmonizedInfo>>];
export type HarmonizeResultAgrees = [Check<SameKeys<Out<typeof harmonizeResultSchema>, HarmonizeResult>>, Check<Extends<HarmonizeResult, Out<typeof harmonizeResultSchema>>>];
export type ModelComparisonAgrees = [Check<Both<Out<typeof modelComparisonSchema>, Comparison>>];
export type PriorCheckAgrees = [Check<SameKeys<Out<typeof priorCheckAnswerSchema>, ReturnType<typeof checkPriors>>>, Check<Both<Out<typeof priorCheckAnswerSchema>, ReturnType<typeof checkPriors>>>];
export type CurvePriorsAgrees = [Check<SameKeys<Out<typeof curvePriorsSchema>, ReturnType<typeof curvePriorsFrom> & { model: string; widen: number }>>, Check<Both<Out<typeof curvePriorsSchema>, ReturnType<typeof curvePriorsFrom> & { model: string; widen: number }>>];
// An adstock's lags may be Infinity (null in JSON), which the catalog's type does not say.
export type CatalogAgrees = [Check<SameKeys<Out<typeof catalogSchema>, Catalog>>, Check<SameKeys<Out<typeof catalogSchema>['transforms'][number], Catalog['transforms'][number]>>, Check<Extends<Catalog, Out<typeof catalogSchema>>>];
export type PlanTrackAgrees = [Check<SameKeys<Out<typeof planTrackSchema>, TrackResult>>, Check<Both<Out<typeof planTrackSchema>['weeks'], TrackResult['weeks']>>, Check<Both<Out<typeof planTrackSchema>['channels'], TrackResult['channels']>>];
