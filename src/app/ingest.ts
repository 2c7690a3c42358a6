/**
 * The ingest use cases (src/data/ingest): one file into the workspace as a dataset, or one wide file
 * whose columns each have a role (media, outcome, factor…) as up to three datasets; each in one transaction.
 */
export { ingestFile, ingestByRole, type IngestOptions, type IngestResult, type RoleIngestOptions, type RoleIngestResult } from '../data/index.ts';
