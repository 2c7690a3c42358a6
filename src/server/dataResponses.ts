/**
 * What the data routes answer: uploads and their detected layout, datasets, stored rows, harmonized
 * tables with their validation report (src/data). Route-level shapes: the workspace keeps these as
 * catalog rows, not as results.
 */
import { z } from 'zod';
import { maybeNumber, problemSchema } from '../app/schemas/common.ts';

/** A problem with its one-line text, as the API words it (src/errors.ts `formatProblem`). */
const textProblem = problemSchema.extend({ text: z.string() });

/** What an uploaded file looks like and how ingest would read it (src/server/detect.ts `Detection`). */
export const detectionSchema = z.object({
  header: z.array(z.string()),
  /** The first rows as text (at most 20). */
  rows: z.array(z.array(z.string())),
  more: z.boolean(),
  plan: z.object({
    layout: z.string(), dateFormat: z.string().nullable(), dateAmbiguous: z.boolean(),
    /** Role → column (date, geo, channel, …). */
    roles: z.record(z.string(), z.string()),
    series: z.array(z.object({ source: z.string(), channel: z.string().nullable(), metric: z.string() })),
    categorical: z.array(z.string()), ignored: z.array(z.string()),
    metricKinds: z.record(z.string(), z.string()),
    notes: z.array(problemSchema),
  }),
  /** Per column: the role or series it maps to ('ignore' when ignored). */
  columns: z.array(z.object({ name: z.string(), role: z.string() })),
}).meta({ id: 'Detection' });

export const uploadedSchema = z.object({
  upload: z.string(), name: z.string(), size: z.number(), kind: z.string(),
  /** Null when the file could not be read for this kind; `problem` says why. */
  detection: detectionSchema.nullable(),
  problem: z.object({ error: z.string(), detail: z.string(), problems: z.array(textProblem) }).nullable(),
}).meta({ id: 'Uploaded' });

export const datasetSchema = z.object({
  id: z.string(), kind: z.string(), source: z.string(), format: z.string(), checksum: z.string(),
  /** Data rows read from the file, and rows stored (long form: one per value). */
  rows: z.number(), stored: z.number(),
  currency: z.string().nullable(), layout: z.string(), dateFormat: z.string().nullable(),
  mapping: z.unknown(), metricKinds: z.record(z.string(), z.string()),
  warnings: z.array(z.unknown()), createdAt: z.string(),
}).meta({ id: 'Dataset' });

export const ingestedSchema = z.object({
  id: z.string(), kind: z.string(), layout: z.string(), source: z.string(), checksum: z.string(),
  rows: z.number(), stored: z.number(), dateFormat: z.string().nullable(),
  mapping: z.record(z.string(), z.unknown()), metricKinds: z.record(z.string(), z.string()),
  /** Warnings (errors answer 400). */
  problems: z.array(textProblem),
}).meta({ id: 'Ingested' });

/** Stored rows, one object per row (column → value; dates as ISO text). */
export const rowsSchema = z.array(z.record(z.string(), z.unknown())).meta({ id: 'Rows' });

/** The validation report of a harmonized table (src/data/harmonize/report.ts `Report`). */
export const harmonizeReportSchema = z.object({
  grain: z.string(), periods: z.number(), geos: z.number(), rows: z.number(),
  columns: z.array(z.object({
    column: z.string(), role: z.string(), cells: z.number(), observed: z.number(), missing: z.number(), filledWithZero: z.number(),
    coverage: z.number(), sum: z.number(), mean: maybeNumber, min: maybeNumber, max: maybeNumber, outliers: z.number(),
  })),
  outliers: z.array(z.object({ column: z.string(), date: z.string(), geo: z.string().nullable(), value: z.number(), z: z.number() })),
  spendShare: z.array(z.object({ channel: z.string(), spend: z.number(), share: maybeNumber })),
  /** Pearson correlation between channels (null where a channel does not vary). */
  correlation: z.object({ channels: z.array(z.string()), basis: z.string(), matrix: z.array(z.array(maybeNumber)) }),
  vif: z.array(z.object({ channel: z.string(), vif: maybeNumber })),
  warnings: z.array(z.string()),
}).meta({ id: 'HarmonizeReport' });

export const harmonizedSchema = z.object({
  id: z.string(), grain: z.string(), weekStart: z.string().nullable(), from: z.string(), to: z.string(), geoLevel: z.string(),
  datasets: z.array(z.string()), recipe: z.unknown(), report: harmonizeReportSchema,
  columns: z.array(z.object({ name: z.string(), role: z.string() })),
  rows: z.number(), createdAt: z.string(),
}).meta({ id: 'Harmonized' });

export const harmonizeResultSchema = z.object({
  id: z.string(), grain: z.enum(['week', 'month']), rows: z.number(), columns: z.array(z.string()), geos: z.number(),
  from: z.string(), to: z.string(), report: harmonizeReportSchema, notes: z.array(z.string()),
}).meta({ id: 'HarmonizeResult' });
