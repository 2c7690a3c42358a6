/**
 * The names of the import presets, on their own so the ingest options can name them without importing
 * the presets' code (presets.ts holds the presets; its record has one per name).
 */
export const PRESET_NAMES = ['google-ads', 'meta-ads', 'ga4', 'adobe-analytics'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
