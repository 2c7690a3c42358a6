#!/usr/bin/env bash
# Installs what `npm run bench -- nuts` needs for its Stan side: R with rstan (Debian packages), and
# the Boost headers where rstan's compiler looks for BH (Debian's r-cran-bh ships no include/ folder).
# r-cran-posterior is optional: it regenerates the diagnostics reference values
# (src/inference/fixtures/make-posterior-reference.R).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y r-base-core r-cran-rstan
$SUDO apt-get install -y r-cran-posterior || echo "r-cran-posterior not installed (only needed to regenerate reference values)"
BH=/usr/lib/R/site-library/BH
if [ ! -e "$BH/include" ]; then
  $SUDO mkdir -p "$BH/include"
  for entry in /usr/include/boost; do $SUDO ln -sfn "$entry" "$BH/include/boost"; done
fi
Rscript -e 'library(rstan); cat("rstan", as.character(packageVersion("rstan")), "ready\n")'
