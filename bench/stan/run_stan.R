# Compiles (or reuses a cached compile of) a Stan program and samples it with rstan; writes the draws
# and timings as JSON for bench/stan/compare.ts, which computes ESS with Marginal's own diagnostics.
# Usage: Rscript run_stan.R PROGRAM.stan DATA.json OUT.json CHAINS WARMUP DRAWS SEED CORES CACHE_DIR [ADAPT_DELTA]
suppressPackageStartupMessages({ library(rstan); library(jsonlite); library(tools) })
a <- commandArgs(trailingOnly = TRUE)
program <- a[1]; data_file <- a[2]; out_file <- a[3]
chains <- as.integer(a[4]); warmup <- as.integer(a[5]); draws <- as.integer(a[6]); seed <- as.integer(a[7])
cores <- as.integer(a[8]); cache_dir <- a[9]
adapt_delta <- if (length(a) >= 10) as.numeric(a[10]) else 0.8
dir.create(cache_dir, showWarnings = FALSE, recursive = TRUE)
key <- md5sum(program)[[1]]
cache <- file.path(cache_dir, paste0(key, ".rds"))
if (file.exists(cache)) {
  cached <- readRDS(cache); model <- cached$model; compile_seconds <- cached$compile_seconds; compile_cached <- TRUE
} else {
  compile_seconds <- system.time(model <- stan_model(program, auto_write = FALSE))[["elapsed"]]
  saveRDS(list(model = model, compile_seconds = compile_seconds), cache); compile_cached <- FALSE
}
data <- fromJSON(data_file, simplifyVector = TRUE)
wall <- system.time(fit <- sampling(model, data = data, chains = chains, warmup = warmup, iter = warmup + draws,
  seed = seed, cores = cores, refresh = 0, control = list(adapt_delta = adapt_delta)))[["elapsed"]]
arr <- as.array(fit)  # [draws, chains, params]
pars <- dimnames(arr)[[3]]
pars <- pars[pars != "lp__"]
sp <- get_sampler_params(fit, inc_warmup = FALSE)
el <- get_elapsed_time(fit)
out <- list(
  compileSeconds = compile_seconds, compileCached = compile_cached, wallSeconds = wall,
  chainSeconds = unname(el[, "warmup"] + el[, "sample"]), names = pars,
  chains = lapply(seq_len(dim(arr)[2]), function(c) as.vector(t(arr[, c, pars, drop = FALSE][, 1, ]))),
  nLeapfrog = lapply(sp, function(s) s[, "n_leapfrog__"]),
  divergent = lapply(sp, function(s) s[, "divergent__"]),
  stanVersion = paste(stan_version(), collapse = ""), rstanVersion = as.character(packageVersion("rstan"))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA), out_file)
