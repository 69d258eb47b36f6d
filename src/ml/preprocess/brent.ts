// scipy.optimize.brent (scipy 1.10), reimplemented step for step so that PowerTransformer's
// lambdas come out of the same sequence of function evaluations as in scikit-learn. Both the
// downhill bracket search (`scipy.optimize.bracket`) and Brent's parabolic/golden-section
// minimiser are kept in scipy's statement order, because reordering even one floating
// operation changes which points are evaluated.

const GOLD = 1.618034; // scipy's rounded golden ratio, not (1 + sqrt 5) / 2
const VERY_SMALL = 1e-21;
const GROW_LIMIT = 110.0;
const BRACKET_MAXITER = 1000;
const MINTOL = 1.0e-11;
const CG = 0.381966;

export interface BrentOptions {
  /** Relative tolerance on x (scipy default 1.48e-8). */
  tol?: number;
  /** Maximum Brent iterations (scipy default 500). */
  maxiter?: number;
}

export interface BrentResult {
  x: number;
  fx: number;
  iterations: number;
  evaluations: number;
}

interface Bracket {
  xa: number;
  xb: number;
  xc: number;
  fa: number;
  fb: number;
  fc: number;
  evaluations: number;
}

/** scipy.optimize.bracket: walk downhill from (xa, xb) until f(xb) < f(xa) and f(xb) <= f(xc). */
export function bracketMinimum(f: (x: number) => number, xa0: number, xb0: number): Bracket {
  let xa = xa0;
  let xb = xb0;
  let fa = f(xa);
  let fb = f(xb);
  if (fa < fb) {
    [xa, xb] = [xb, xa];
    [fa, fb] = [fb, fa];
  }
  let xc = xb + GOLD * (xb - xa);
  let fc = f(xc);
  let evaluations = 3;
  let iter = 0;
  while (fc < fb) {
    const tmp1 = (xb - xa) * (fb - fc);
    const tmp2 = (xb - xc) * (fb - fa);
    const val = tmp2 - tmp1;
    const denom = Math.abs(val) < VERY_SMALL ? 2.0 * VERY_SMALL : 2.0 * val;
    let w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
    const wlim = xb + GROW_LIMIT * (xc - xb);
    if (iter > BRACKET_MAXITER) throw new RangeError('bracket search: too many iterations');
    iter += 1;
    let fw: number;
    if ((w - xc) * (xb - w) > 0.0) {
      fw = f(w);
      evaluations += 1;
      if (fw < fc) {
        xa = xb;
        xb = w;
        fa = fb;
        fb = fw;
        return { xa, xb, xc, fa, fb, fc, evaluations };
      } else if (fw > fb) {
        xc = w;
        fc = fw;
        return { xa, xb, xc, fa, fb, fc, evaluations };
      }
      w = xc + GOLD * (xc - xb);
      fw = f(w);
      evaluations += 1;
    } else if ((w - wlim) * (wlim - xc) >= 0.0) {
      w = wlim;
      fw = f(w);
      evaluations += 1;
    } else if ((w - wlim) * (xc - w) > 0.0) {
      fw = f(w);
      evaluations += 1;
      if (fw < fc) {
        xb = xc;
        xc = w;
        w = xc + GOLD * (xc - xb);
        fb = fc;
        fc = fw;
        fw = f(w);
        evaluations += 1;
      }
    } else {
      w = xc + GOLD * (xc - xb);
      fw = f(w);
      evaluations += 1;
    }
    xa = xb;
    xb = xc;
    xc = w;
    fa = fb;
    fb = fc;
    fc = fw;
  }
  return { xa, xb, xc, fa, fb, fc, evaluations };
}

/** `scipy.optimize.brent(f, brack=(xa, xb), tol, maxiter)` with full output. */
export function brentMinimize(f: (x: number) => number, brack: readonly [number, number], options: BrentOptions = {}): BrentResult {
  const tol = options.tol ?? 1.48e-8;
  const maxiter = options.maxiter ?? 500;
  const br = bracketMinimum(f, brack[0], brack[1]);
  let evaluations = br.evaluations;

  let x = br.xb;
  let w = x;
  let v = x;
  let fx = br.fb;
  let fw = fx;
  let fv = fx;
  let a: number;
  let b: number;
  if (br.xa < br.xc) {
    a = br.xa;
    b = br.xc;
  } else {
    a = br.xc;
    b = br.xa;
  }
  let deltax = 0.0;
  let rat = 0.0;
  let iter = 0;
  while (iter < maxiter) {
    const tol1 = tol * Math.abs(x) + MINTOL;
    const tol2 = 2.0 * tol1;
    const xmid = 0.5 * (a + b);
    if (Math.abs(x - xmid) < tol2 - 0.5 * (b - a)) break;
    if (Math.abs(deltax) <= tol1) {
      deltax = x >= xmid ? a - x : b - x; // golden section step
      rat = CG * deltax;
    } else {
      const tmp1 = (x - w) * (fx - fv);
      let tmp2 = (x - v) * (fx - fw);
      let p = (x - v) * tmp2 - (x - w) * tmp1;
      tmp2 = 2.0 * (tmp2 - tmp1);
      if (tmp2 > 0.0) p = -p;
      tmp2 = Math.abs(tmp2);
      const dxTemp = deltax;
      deltax = rat;
      if (p > tmp2 * (a - x) && p < tmp2 * (b - x) && Math.abs(p) < Math.abs(0.5 * tmp2 * dxTemp)) {
        rat = (p * 1.0) / tmp2; // parabolic step
        const u = x + rat;
        if (u - a < tol2 || b - u < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
      } else {
        deltax = x >= xmid ? a - x : b - x;
        rat = CG * deltax;
      }
    }
    let u: number;
    if (Math.abs(rat) < tol1) u = rat >= 0 ? x + tol1 : x - tol1;
    else u = x + rat;
    const fu = f(u);
    evaluations += 1;
    if (fu > fx) {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        w = u;
        fv = fw;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    } else {
      if (u >= x) a = x;
      else b = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    }
    iter += 1;
  }
  return { x, fx, iterations: iter, evaluations };
}
