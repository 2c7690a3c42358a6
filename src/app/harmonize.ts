/**
 * The harmonize use case: datasets joined into one date × geo × column table with its validation
 * report (src/data/harmonize); its preview (the same table, nothing stored); and what each dataset
 * would bring (its columns and geo level), which the web's form lists.
 */
export { harmonize, previewHarmonize, harmonizeSource } from '../data/index.ts';
