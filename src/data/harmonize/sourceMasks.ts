/**
 * Which datasets gave a harmonized cell its values, as bit masks: one HUGEINT per 126 datasets, a bit
 * per dataset. A fixed-size aggregate stays within DuckDB's memory limit; a list per cell did not
 * (10 M rows into ~1.4 M cells: peak RSS up to ~1 GB, against ~0.75 GB with masks).
 */

/** Datasets per mask (a HUGEINT has 127 value bits). */
export const DATASETS_PER_MASK = 126;

export interface SourceMasks {
  /** Aggregate expressions for the cell's masks, `sources0`, `sources1`, …, over rows with `n > 0`. */
  select: string;
  /** Columns of the masks. */
  columns: string[];
  /** True where a cell has values from more than one dataset. */
  several: string;
  /** The dataset positions whose bits are set, from each mask as decimal text (NULL: none). */
  positions(masks: (string | null)[]): number[];
}

/** `rank` is SQL for a row's dataset position (0, 1, … in the order chosen); `datasets` how many there are. */
export function sourceMasks(rank: string, datasets: number, perMask = DATASETS_PER_MASK): SourceMasks {
  const blocks = Math.max(1, Math.ceil(datasets / perMask));
  const columns = Array.from({ length: blocks }, (_, k) => `sources${k}`);
  const select = columns.map((c, k) => `bit_or(CASE WHEN ${rank} BETWEEN ${k * perMask} AND ${(k + 1) * perMask - 1} THEN CAST(1 AS HUGEINT) << (${rank} - ${k * perMask}) END) FILTER (WHERE n > 0) AS ${c}`).join(', ');
  // Several sources: two bits in one mask (m & (m − 1) ≠ 0), or bits in two masks.
  const twoBits = columns.map((c) => `coalesce(${c} & (${c} - 1), 0) <> 0`);
  const nonEmpty = columns.map((c) => `CAST(coalesce(${c}, 0) <> 0 AS INTEGER)`).join(' + ');
  const several = `(${[...twoBits, `${nonEmpty} > 1`].join(' OR ')})`;
  return {
    select, columns, several,
    positions(masks) {
      const out: number[] = [];
      masks.forEach((m, k) => {
        if (m === null) return;
        const bits = BigInt(m);
        for (let i = 0; i < perMask; i++) if ((bits >> BigInt(i)) & 1n) out.push(k * perMask + i);
      });
      return out;
    },
  };
}
