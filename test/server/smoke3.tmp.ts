import { withWorkspace, getModel } from '../../src/data/index.ts';
import { loadModelTable } from '../../src/jobs/fit.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { run } from '../../src/jobs/tasks/insights.ts';
const path = '/tmp/srv/ws.duckdb';
const stored = await withWorkspace(path, (ws) => getModel(ws, 'demo-1'));
const input = { modelId: 'demo-1', family: stored.family, config: stored.config, output: stored.output, result: stored.result, table: await loadModelTable(parseModelConfig(stored.config), path) };
const t = performance.now();
const x = await run(input) as any; console.log(Object.keys(x), performance.now() - t, JSON.stringify(x).length);
