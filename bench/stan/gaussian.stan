// D-dimensional correlated Gaussian (bench/nuts.ts: 100-D, AR(1) correlation 0.5, log-uniform scales).
data {
  int<lower=1> D;
  vector[D] mu;
  matrix[D, D] Sigma;
}
transformed data {
  matrix[D, D] L = cholesky_decompose(Sigma);
}
parameters {
  vector[D] x;
}
model {
  x ~ multi_normal_cholesky(mu, L);
}
