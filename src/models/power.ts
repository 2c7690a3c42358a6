/**
 * Power of a lift test: the smallest true lift it would detect, and whether a measured one can be told
 * apart from noise. A test's estimate is read as Normal(lift, se²); with a two-sided 5% test and 80%
 * power the minimum detectable lift is (z₀.₉₇₅ + z₀.₈)·se = 2.80·se (the usual experiment-design
 * rule, e.g. GeoLift's and Meta's power calculators).
 */
export const Z_SIGNIFICANT = 1.959964;
export const Z_POWER = 0.841621;

/** Minimum detectable lift (same units as se) at 5% two-sided significance and 80% power. */
export function minimumDetectableLift(se: number): number {
  return (Z_SIGNIFICANT + Z_POWER) * se;
}

/** True when a measured lift is within two standard errors of zero: it cannot be told apart from noise. */
export function indistinguishableFromNoise(lift: number, se: number): boolean {
  return Math.abs(lift) < Z_SIGNIFICANT * se;
}

export interface EnteredTest { channel: string; geo?: string; geos?: string[]; start: string; end: string; lift: number; liftSe: number }

/**
 * LIFT TEST NOISE, at fit time: one warning per entered test whose result is within two standard
 * errors of zero. The model still reads it, as "small or none", which is information too; the
 * warning says what the test could have detected, so nobody reads it as "no effect".
 */
export function liftTestNoiseWarnings(tests: readonly EnteredTest[], fmt: (v: number) => string = (v) => v.toPrecision(3)): string[] {
  return tests.flatMap((e, i) => {
    if (!indistinguishableFromNoise(e.lift, e.liftSe)) return [];
    const geos = e.geos ?? (e.geo !== undefined ? [e.geo] : null);
    const where = geos ? ` in ${geos.length > 3 ? `${geos.length} geos` : geos.join(', ')}` : '';
    return [`LIFT TEST NOISE: experiments[${i}] on ${e.channel}${where} (${e.start}…${e.end}) measured ${fmt(e.lift)} ± ${fmt(e.liftSe)}, within two standard errors of zero: it cannot be told apart from noise. The model reads it as "small or none", which narrows the channel's ROI only a little; this test could detect a lift of ${fmt(minimumDetectableLift(e.liftSe))} or more (80% power, 5% two-sided). A longer test, more geos or a bigger spend change lowers that (marginal design).`];
  });
}
