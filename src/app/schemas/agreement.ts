/**
 * Type-level checks that each stored-result schema and the interface its producer is typed with
 * agree; nothing here runs. test/server/schemaTypes.test.ts type-checks this file (so does
 * `npm run typecheck`). Each check: the schema names the same fields as the interface, and what the
 * producer makes is a value of the schema's type. Where the schema is stricter than the interface (an
 * enum for a string, a field that may be left out, a number JSON writes as null) only that direction
 * holds; where both are exact, both directions are checked.
 */
import type { z } from 'zod';
import type { StoredModel } from '../../data/models.ts';
import type { ModelRow, ModelStatus } from '../modelStatus.ts';
import type { PlanListing, StoredPlan } from '../../data/plans.ts';
import type { JobInfo } from '../../jobs/runner.ts';
import type { PlanResult } from '../../planning/plan.ts';
import type { PlanComparison } from '../../planning/compare.ts';
import type { Insights } from '../../analysis/insights.ts';
import type { Summary } from '../../touchpoints/attribute.ts';
import type { PathRow } from '../../touchpoints/aggregate.ts';
import type { JourneyShape } from '../../touchpoints/shape.ts';
import type { AudienceRow } from '../../touchpoints/audience.ts';
import type { ConsistencyRow } from '../../touchpoints/calibrate.ts';
import type { FitOutput } from '../fit.ts';
import type { PlanOutput } from '../plan.ts';
import type { modelListingSchema } from './modelListing.ts';
import type { modelSchema, storedModelSchema } from './storedModel.ts';
import type { planListingSchema, storedPlanSchema } from './planListing.ts';
import type { planOutputSchema, planResultSchema } from './planResult.ts';
import type { planComparisonSchema } from './planComparison.ts';
import type { jobInfoSchema } from './jobInfo.ts';
import type { fitOutputSchema } from './fitOutput.ts';
import type { insightsViewSchema } from './insightsView.ts';
import type { touchpointsResultSchema } from './touchpointsResult.ts';
import type { SegmentAnalysis } from '../../touchpoints/segments.ts';
import type { overviewSchema } from './overview.ts';
import type { Overview } from '../overview.ts';
import type { designOutputSchema } from './designOutput.ts';
import type { DesignOutput } from '../design.ts';

/** Compiles only when T is `true`. */
export type Check<T extends true> = T;
/** A is a value of type B. */
export type Extends<A, B> = [A] extends [B] ? true : false;
/** A and B name the same fields (an index signature of a loose schema aside; every member's of a union). */
export type SameKeys<A, B> = [Exclude<Known<A>, Known<B>>, Exclude<Known<B>, Known<A>>] extends [never, never] ? true : false;
type Known<T> = T extends unknown ? keyof { [K in keyof T as string extends K ? never : K]: T[K] } : never;
type Both<A, B> = Extends<A, B> extends true ? Extends<B, A> : false;

type Out<S extends z.ZodType> = z.infer<S>;
/** T with `undefined` taken out of the fields K: the interface admits it, the code never writes it (`?? null`). */
type Defined<T, K extends keyof T> = Omit<T, K> & { [P in K]: Exclude<T[P], undefined> };

// Listings: exact but for the listing's status, a string the schema names the values of.
export type ModelListingAgrees = [Check<SameKeys<Out<typeof modelListingSchema>, ModelRow>>, Check<Extends<Out<typeof modelListingSchema>, ModelRow>>];
export type PlanListingAgrees = [Check<SameKeys<Out<typeof planListingSchema>, PlanListing>>, Check<Both<Out<typeof planListingSchema>, PlanListing>>];

// Stored rows: the data layer types config, output, result and spec as unknown; the schemas say what they hold.
export type StoredModelAgrees = [Check<SameKeys<Out<typeof storedModelSchema>, StoredModel>>, Check<Extends<Out<typeof storedModelSchema>, StoredModel>>, Check<SameKeys<Out<typeof modelSchema>, Omit<StoredModel, 'result'> & ModelStatus>>];
export type StoredPlanAgrees = [Check<SameKeys<Out<typeof storedPlanSchema>, StoredPlan>>, Check<Extends<Out<typeof storedPlanSchema>, StoredPlan>>];

// Plans: a plan's ROI is left out at zero spend, which the interface does not say; so one way.
export type PlanResultAgrees = [Check<SameKeys<Out<typeof planResultSchema>, PlanResult>>, Check<Extends<Defined<PlanResult, 'target' | 'constraints'>, Out<typeof planResultSchema>>>];
export type PlanOutputAgrees = [Check<SameKeys<Out<typeof planOutputSchema>, PlanOutput>>, Check<Extends<Defined<PlanOutput, 'target' | 'constraints'>, Out<typeof planOutputSchema>>>];
export type PlanComparisonAgrees = [Check<SameKeys<Out<typeof planComparisonSchema>, PlanComparison>>, Check<Extends<PlanComparison, Out<typeof planComparisonSchema>>>];

// Jobs: the runner types a result as unknown; the schema names the results of each kind.
export type JobInfoAgrees = [Check<SameKeys<Out<typeof jobInfoSchema>, JobInfo>>, Check<Extends<Out<typeof jobInfoSchema>, JobInfo>>];

// A fit job's result: the interface is the family's exact types, the schema the open stored shape.
type FitOut = Out<typeof fitOutputSchema>;
export type FitOutputAgrees = [
  Check<SameKeys<FitOut, FitOutput>>,
  Check<SameKeys<FitOut['channels'][number], FitOutput['channels'][number]>>,
  Check<Extends<FitOutput['channels'][number]['roiInterval'], NonNullable<FitOut['channels'][number]['roiInterval']>>>,
];

// Insights: the analysis layer types its tables as rows of cells; the schema names each table's columns.
// `insightsView` is typed `Insights & Record<string, unknown>`: the six fields it adds are named here.
type View = Out<typeof insightsViewSchema>;
export type InsightsAgrees = [
  Check<SameKeys<View, Insights & Pick<View, 'synergy' | 'approximate' | 'diagnostics' | 'warnings' | 'summary' | 'series' | 'geos'>>>,
  Check<Extends<Omit<View, 'summary' | 'diagnostics' | 'series' | 'synergy' | 'approximate' | 'warnings' | 'geos'>, Insights>>,
  Check<Both<View['responseCurves'], Insights['responseCurves']>>,
  Check<Both<View['curvePoints'], Insights['curvePoints']>>,
  Check<Both<View['health'], Insights['health']>>,
];

// Touchpoints: `touchpointsTask` is typed as unknown; its parts are the library's types.
type Scored = { summaries: Summary[]; calibration: { model: string; method: string; units: { outcome: 'currency' | 'conversions'; currency: string | null }; summary: Summary; consistency: (ConsistencyRow & { difference: number })[]; unmatchedChannels: string[]; uncovered: number } | null; topPaths: PathRow[]; shape: JourneyShape; audiences: Record<string, AudienceRow[]>; segments: SegmentAnalysis | null; notes: string[]; perTouch: { rows: number; methods: string[] } | null; campaigns: string[]; journeys: number; touches: number };
export type TouchpointsAgrees = [Check<SameKeys<Out<typeof touchpointsResultSchema>, Scored>>, Check<Extends<Scored, Out<typeof touchpointsResultSchema>>>];

// The overview: built from the listings above; exact.
export type OverviewAgrees = [Check<SameKeys<Out<typeof overviewSchema>, Overview>>, Check<SameKeys<Out<typeof overviewSchema>['kpis'][number], Overview['kpis'][number]>>, Check<Extends<Overview, Out<typeof overviewSchema>>>];
// A design job's result: the schema and the use case's output, both ways.
export type DesignOutputAgrees = [
  Check<SameKeys<Out<typeof designOutputSchema>, DesignOutput>>,
  Check<SameKeys<Out<typeof designOutputSchema>['tests'][number], DesignOutput['tests'][number]>>,
  Check<Extends<DesignOutput, Out<typeof designOutputSchema>>>,
];
