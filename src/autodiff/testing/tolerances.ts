/**
 * Every tolerance the autodiff and transform tests use, in one place.
 * - VALUE_RTOL: forward values against a reference, |a − r| ≤ VALUE_RTOL·max(1, |r|).
 * - GRAD_TOL: reverse-mode gradients against central finite differences, |a − n| ≤ GRAD_TOL·max(1, |a|, |n|).
 * - FD_REL_STEP: central-difference step, h = FD_REL_STEP·max(1, |x|).
 * - SIZES: vector sizes every op is checked at (empty, scalar, pair, large).
 */
export const VALUE_RTOL = 1e-8;
export const GRAD_TOL = 1e-4;
export const FD_REL_STEP = 1e-6;
export const SIZES = [0, 1, 2, 300] as const;
