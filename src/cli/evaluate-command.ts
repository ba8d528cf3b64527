// `steady evaluate RUN`: reloads a run's model and its held-out data (same dataset, seed and
// split, the saved scalers) and prints the held-out result again.

import { CliError } from "./cli-error.js";
import { loadTaskData } from "./datasets.js";
import { loadLibrary } from "./load-library.js";
import { postprocess, prepareData } from "./prepare-data.js";
import { readRun } from "./run-folder.js";
import { resultLine, classificationResults, regressionResults, sequenceResults } from "./task-metrics.js";

export async function evaluateCommand(runDir: string, opts: { backend?: string; json?: boolean }): Promise<void> {
  const { cfg, info, modelDir } = readRun(runDir);
  const st = await loadLibrary(opts.backend ?? null);
  const data = loadTaskData(st, cfg);
  if (data.x.shape[1] !== info.featureNames.length) {
    throw new CliError(`the data of run "${runDir}" now has ${data.x.shape[1]} features, the model was trained on ${info.featureNames.length}`, 1);
  }
  const d = prepareData(st, data, cfg, { xScaler: info.xScaler, yScaler: info.yScaler });
  const model = await st.loadModel(modelDir);
  const out = postprocess(st, model.predict(d.xTest, { batchSize: 256 }), info.task, d.yScaler);
  const r: Record<string, number> =
    info.task === "sequence" ? sequenceResults(out, d.yTest) : info.task === "classification" ? classificationResults(out, d.yTest) : regressionResults(out, d.yTest);
  if (opts.json) console.log(JSON.stringify({ run: runDir, task: info.task, ...r }));
  else console.log(`${runDir}: ${info.dataDescription}: ${resultLine(info.task, r)}`);
}
