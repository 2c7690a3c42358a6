/**
 * What the data routes answer: uploads and their detected layout, datasets, stored rows, harmonized
 * tables with their validation report (src/data). Route-level shapes: the workspace keeps these as
 * catalog rows, not as results.
 */
import { z } from 'zod';
import { maybeNumber, problemSchema } from '../app/schemas/common.ts';
import { COLUMN_ROLES, GRAINS, PRESET_NAMES } from '../data/index.ts';

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

/** How a wide file would be ingested by role (src/server/detectRoles.ts `RoleDetection`). */
export const roleDetectionSchema = z.object({
  header: z.array(z.string()),
  /** The first rows as text (at most 20). */
  rows: z.array(z.array(z.string())),
  more: z.boolean(),
  dateFormat: z.string().nullable(), dateAmbiguous: z.boolean(),
  /** Per column: its role (date, geo, media, outcome, factor, ignore), the role proposed before any change, and the name it is stored under. */
  columns: z.array(z.object({ name: z.string(), role: z.enum(COLUMN_ROLES), proposed: z.enum(COLUMN_ROLES), target: z.string().nullable() })),
  /** The datasets the file becomes: `<name><suffix>` (suffix '', '-outcome', '-factors'). */
  datasets: z.array(z.object({ suffix: z.string(), kind: z.string(), role: z.string(), columns: z.array(z.string()) })),
  notes: z.array(problemSchema),
}).meta({ id: 'RoleDetection' });

export const uploadedSchema = z.object({
  upload: z.string(), name: z.string(), size: z.number(), kind: z.string(),
  /** Null when the file could not be read for this kind; `problem` says why. */
  detection: detectionSchema.nullable(),
  /** For `kind=mixed`: each column's proposed role (then `detection` is null). */
  roles: roleDetectionSchema.nullable().optional(),
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

/** A wide file ingested by role: the datasets stored (in one transaction) and each column's role. */
export const roleIngestedSchema = z.object({
  datasets: z.array(ingestedSchema),
  columns: roleDetectionSchema.shape.columns,
}).meta({ id: 'RoleIngested' });

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

/** One version of a harmonized table: when, which dates, how many rows, from which datasets (with their checksums), whether its cells are kept. */
export const tableVersionSchema = z.object({
  version: z.number(), createdAt: z.string(), archivedAt: z.string().nullable(), from: z.string(), to: z.string(), rows: z.number(),
  datasets: z.array(z.object({ id: z.string(), checksum: z.string().nullable() })), current: z.boolean(), stored: z.boolean(),
}).meta({ id: 'TableVersion' });

export const harmonizedSchema = z.object({
  id: z.string(), grain: z.string(), weekStart: z.string().nullable(), from: z.string(), to: z.string(), geoLevel: z.string(),
  datasets: z.array(z.string()), recipe: z.unknown(), report: harmonizeReportSchema,
  columns: z.array(z.object({ name: z.string(), role: z.string() })),
  rows: z.number(), createdAt: z.string(),
  /** The current version, and every version oldest first (src/data/harmonize/versions.ts). */
  version: z.number(), versions: z.array(tableVersionSchema),
}).meta({ id: 'Harmonized' });

export const harmonizeResultSchema = z.object({
  id: z.string(), version: z.number(), grain: z.enum(GRAINS), rows: z.number(), columns: z.array(z.string()), geos: z.number(),
  from: z.string(), to: z.string(), report: harmonizeReportSchema, notes: z.array(z.string()),
}).meta({ id: 'HarmonizeResult' });

/** A harmonized table before it is saved (src/data/harmonize/preview.ts `HarmonizePreview`): nothing is stored. */
export const harmonizePreviewSchema = z.object({
  id: z.string(), grain: z.enum(GRAINS), from: z.string(), to: z.string(),
  /** Rows of the whole table (periods × geos); geos (0: national). */
  rows: z.number(), geos: z.number(),
  /** Every column in order (`date`, `geo`, then the table's), its role and the datasets its values come from. */
  columns: z.array(z.object({ name: z.string(), role: z.string(), datasets: z.array(z.string()) })),
  /** The first rows of the wide table (null: missing). */
  sample: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  report: harmonizeReportSchema, notes: z.array(z.string()),
}).meta({ id: 'HarmonizePreview' });

/** What a dataset would bring to a harmonized table (src/data/harmonize/sources.ts `HarmonizeSource`). */
export const harmonizeSourceSchema = z.object({
  id: z.string(), kind: z.string(),
  /** media, outcome or factor; null when harmonize cannot take the dataset (experiments, aggregated paths). */
  role: z.string().nullable(), harmonizable: z.boolean(),
  /** Whether the dataset has rows by geo. */
  geo: z.boolean(),
  /** The harmonized columns it brings (`tv_spend`, `revenue`…), with their role. */
  columns: z.array(z.object({ name: z.string(), role: z.string() })),
}).meta({ id: 'HarmonizeSource' });

/** GET /api/presets: each import preset's name (the `preset` of an upload or ingest) and what it reads. */
export const presetsSchema = z.array(z.object({ name: z.enum(PRESET_NAMES), label: z.string() })).meta({ id: 'Presets' });
