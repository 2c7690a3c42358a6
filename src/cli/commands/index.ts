import type { Register } from '../program.ts';
import { register as simulate } from './simulate.ts';
import { register as fit } from './fit.ts';
import { register as priors } from './priors.ts';
import { register as demo } from './demo.ts';
import { register as ingest } from './ingest.ts';
import { register as datasets } from './datasets.ts';
import { register as show } from './show.ts';
import { register as drop } from './drop.ts';
import { register as harmonize } from './harmonize.ts';
import { register as exportCmd } from './export.ts';
import { register as backtest } from './backtest.ts';
import { register as serve } from './serve.ts';
import { register as insights } from './insights.ts';
import { register as report } from './report.ts';
import { register as optimize } from './optimize.ts';
import { register as design } from './design.ts';
import { register as plans } from './plans.ts';
import { register as track } from './track.ts';
import { register as touchpoints } from './touchpoints.ts';
import { register as compare } from './compare.ts';
import { register as worker } from './worker.ts';
import { register as models } from './models.ts';
import { register as refresh } from './refresh.ts';
import { register as overview } from './overview.ts';

/** Every CLI command, in the order `--help` lists them. Add a command by adding its file here. */
export const commands: Register[] = [
  demo,
  overview,
  simulate,
  fit, models, refresh, priors,
  ingest, datasets, show, drop, harmonize, exportCmd,
  serve, worker,
  insights, report, design,
  optimize, plans, track,
  touchpoints,
  backtest,
  compare,
];
