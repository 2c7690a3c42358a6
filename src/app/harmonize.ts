/** The harmonize use case: datasets joined into one date × geo × column table with its validation report (src/data/harmonize). */
export { harmonize } from '../data/index.ts';
