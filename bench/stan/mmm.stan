// Marginal's national Bayesian MMM (src/models/bayesian/model.ts), written in Stan for the speed
// comparison in bench/mmm.ts. Same data (scaled by prepareMmm), same priors, same parameterization,
// parameters declared in the order of Marginal's θ: roi, alpha, k, s, level, season, trend, control,
// sigma. Normalized geometric adstock over L lags, Hill saturation, ROI-parameterized coefficients,
// the mean fitted level sampled instead of the intercept. Signed controls only (sign folded into Z).
data {
  int<lower=1> T;
  int<lower=1> C;
  int<lower=1> L;
  matrix[T, C] x;            // scaled activity
  vector[T] w;               // revenue weight per period (scaled outcome -> revenue)
  vector<lower=0>[C] spend;  // total spend per channel
  int<lower=0> Ns;
  matrix[T, Ns] Xs;          // Fourier seasonality
  int<lower=0> Nt;
  matrix[T, Nt] Xt;          // trend
  int<lower=0> K;
  matrix[T, K] Z;            // standardized controls times their sign (±1): coefficients are >= 0
  int<lower=1> Nin;
  int<lower=1, upper=T> idx_in[Nin];
  vector[Nin] y_in;          // scaled outcome, in-sample
  vector[C] roi_mu;
  vector<lower=0>[C] roi_sd;
}
parameters {
  vector<lower=0>[C] roi;
  vector<lower=0, upper=1>[C] alpha;
  vector<lower=0>[C] k;
  vector<lower=0>[C] s;
  real level;
  vector[Ns] season;
  vector[Nt] trend;
  vector<lower=0>[K] control;
  real<lower=0> sigma;
}
model {
  matrix[T, C] h;
  vector[C] b;
  vector[T] rest;
  vector[T] mu;
  for (c in 1:C) {
    real norm = 0;
    vector[T] a = rep_vector(0, T);
    real wl = 1;
    for (l in 0:(L - 1)) {
      a[(l + 1):T] += wl * x[1:(T - l), c];
      norm += wl;
      wl *= alpha[c];
    }
    a /= norm;
    for (t in 1:T) h[t, c] = a[t] > 0 ? inv_logit(s[c] * (log(a[t]) - log(k[c]))) : 0;
    b[c] = roi[c] * spend[c] / dot_product(w, col(h, c));
  }
  rest = h * b;
  if (Ns > 0) rest += Xs * season;
  if (Nt > 0) rest += Xt * trend;
  if (K > 0) rest += Z * control;
  mu = rest + (level - mean(rest[idx_in]));

  roi ~ lognormal(roi_mu, roi_sd);
  alpha ~ beta(2, 3);
  k ~ lognormal(0, 0.7);
  s ~ lognormal(0.25, 0.4);
  level ~ normal(1, 0.5);
  season ~ normal(0, 0.3);
  trend ~ normal(0, 0.5);
  control ~ normal(0, 0.3);
  sigma ~ normal(0, 0.3);
  y_in ~ normal(mu[idx_in], sigma);
}
