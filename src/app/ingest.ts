/** The ingest use case: one file into the workspace as a dataset, in one transaction (src/data/ingest). */
export { ingestFile, type IngestOptions, type IngestResult } from '../data/index.ts';
