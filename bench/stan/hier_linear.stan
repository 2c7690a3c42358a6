// Varying intercepts and slopes, non-centered (src/inference/examples/hierarchical.ts: hierLinear).
data {
  int<lower=1> N;
  int<lower=1> J;
  int<lower=1, upper=J> g[N];
  vector[N] x;
  vector[N] y;
}
parameters {
  real mu_a;
  real mu_b;
  real<lower=0> tau_a;
  real<lower=0> tau_b;
  real<lower=0> sigma;
  vector[J] za;
  vector[J] zb;
}
model {
  mu_a ~ normal(0, 5);
  mu_b ~ normal(0, 5);
  tau_a ~ normal(0, 2);
  tau_b ~ normal(0, 2);
  sigma ~ normal(0, 2);
  za ~ std_normal();
  zb ~ std_normal();
  y ~ normal(mu_a + tau_a * za[g] + (mu_b + tau_b * zb[g]) .* x, sigma);
}
