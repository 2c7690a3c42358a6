/**
 * The shape of every insights table: an array of flat rows of plain cells. Its own module so the
 * tables' builders (health, lift tests, insights) share it without importing one another.
 */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;
