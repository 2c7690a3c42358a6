export { simulate, type Simulation, type SimulateOptions, type ChannelTruth } from './simulate.ts';
export { oracleRoiBound, type OracleBound, type OracleChannel } from './oracle.ts';
export { simulationTable } from './table.ts';
export { trueAdstockWeights, trueSpendSeries, trueWindowResponse } from './trueResponse.ts';
