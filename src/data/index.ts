/**
 * The data layer's public face. Other stages import from here only.
 *
 * Workspace:
 *   `Workspace.open(path)`, `ws.transaction(fn)`, `ws.run(sql, params)`, `ws.all(sql, params)`, `ws.close()`;
 *   `withWorkspace(path, fn)` opens, runs and closes.
 * Ingest:   `ingestFile(ws, file, options)` → IngestResult; `ingestByRole(ws, file, options)`: one wide file, a role per
 *   column, stored as media, outcome and factors datasets in one transaction.
 * Catalog:  `listDatasets(ws)`, `getDataset(ws, id)`, `dropDataset(ws, id)`.
 * Harmonize: `harmonize(ws, options)` → HarmonizeResult (table + validation report); `previewHarmonize(ws, options)`
 *   → the same table's first rows and report, nothing stored; `harmonizeSource(ws, dataset)` → the columns it brings.
 * Model input:
 *   `loadHarmonized(workspace, id)` → `{ dates, geos, columns }`: one row per (geo, date), sorted by geo then date;
 *     `dates[i]` is ISO `YYYY-MM-DD` (week start or month start), `geos` is null for a national table,
 *     `columns[name]` is a Float64Array with NaN for a missing value.
 *   `readWideTable(path)` → `{ columns, rowCount, dateColumn }` for a wide modeling file (CSV, Parquet, XLSX).
 */
export { Workspace, withWorkspace, ident, lit } from './workspace.ts';
export { KINDS, defaultMetricKind, type Kind, type MetricKind } from './schema.ts';
export { DATE_FORMATS, parseDateFormatOption, type DateFormat } from './detect/dates.ts';
export type { NumberFormat } from './detect/numbers.ts';
export type { IngestOptions } from './ingest/options.ts';
export { ingestFile, type IngestResult } from './ingest/ingest.ts';
export { ingestByRole, type RoleIngestResult } from './ingest/ingestByRole.ts';
export { COLUMN_ROLES, planRoles, proposeRoles, type ColumnRole, type RoleColumn, type RoleIngestOptions, type RolePlan } from './ingest/byRole.ts';
export { PRESETS, PRESET_NAMES, presetOf, type Preset, type PresetName } from './ingest/presets.ts';
export { listDatasets, getDataset, previewDataset, dropEntry, type DatasetInfo } from './catalog.ts';
export { harmonize, GRAINS, OVERLAP_RULES, type HarmonizeOptions, type HarmonizeResult, type Grain, type DatasetChoice, type OverlapRule } from './harmonize/harmonize.ts';
export { previewHarmonize, PREVIEW_ROWS, type HarmonizePreview } from './harmonize/preview.ts';
export { harmonizeSource, harmonizable, type HarmonizeSource } from './harmonize/sources.ts';
export { loadHarmonized, readHarmonized, listHarmonized, getHarmonized, harmonizedCurrency, previewHarmonized, wideRows, type HarmonizedTable, type HarmonizedInfo } from './harmonize/load.ts';
export type { Report } from './harmonize/report.ts';
export { exportHarmonized, exportDataset, csvText, toCsv } from './export.ts';
export { readWideTable, type WideTable } from './readers/wide.ts';
export { saveModel, listModels, getModel, renameModel, deleteModelRow, type StoredModel, type ModelListing } from './models.ts';
export { currentVersion, tableVersions, allVersions, modelDataRefs, type VersionInfo } from './harmonize/versions.ts';
// Detection without ingesting (the web app's live preview): open a file, sample it, plan the ingest.
export { openSource, type Source } from './readers/source.ts';
export { sniff, type Sample } from './readers/sniff.ts';
export { makePlan, type Plan } from './ingest/plan.ts';
export { readNumeric, readNumericSlices, type NumericKind, type ChunkSource } from './stream.ts';
