import { parentPort, workerData } from 'node:worker_threads';
import { BarSeries, instrumentId } from '../../model/index.js';
import { runTrial } from '../trial.js';
import type { TrialJob, TrialReply, WorkerInit } from './messages.js';

/** A worker thread of the WorkerPool: holds the shared bars, runs one backtest per job message. */
const init = workerData as WorkerInit;
const bars = new BarSeries(instrumentId(init.instrumentId), init.columns);
parentPort!.on('message', (job: TrialJob) => {
  let reply: TrialReply;
  try {
    reply = { id: job.id, metrics: runTrial(bars, init.spec, job.params, job.window).metrics };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  parentPort!.postMessage(reply);
});
