/**
 * The names of the model families, on their own so the config schema can list them without importing
 * the families' code (src/models/families.ts holds the families; it checks it has one per name).
 */
export const families = ['bayesian', 'linear', 'ridge', 'forest', 'boosting'] as const;
export type FamilyName = (typeof families)[number];
export const classicFamilies = ['linear', 'ridge', 'forest', 'boosting'] as const satisfies readonly FamilyName[];
