// W5's worker: the published Camunda 7 JavaScript client, configured as a throughput-minded
// user would (batches, several batches in flight, a short poll interval), completing every
// task of the topic with one request each. It starts polling when a line arrives on stdin
// and, once a fetch comes back empty with nothing in flight, prints one JSON line:
// {"completed": n, "cpuSeconds": s} (CPU since the process started) and exits.
// Configuration: STEAD_ENGINE_URL (…/engine-rest), STEAD_TOKEN, WORKER_ID, W5_TOPIC, W5_BATCH.
import { Client, Variables } from "camunda-external-task-client-js";
import { createInterface } from "node:readline";

const batch = Number(process.env.W5_BATCH || "32");
const bearer = (config) => ({
  ...config,
  headers: { ...config.headers, Authorization: `Bearer ${process.env.STEAD_TOKEN}` },
});
const client = new Client({
  baseUrl: process.env.STEAD_ENGINE_URL,
  workerId: process.env.WORKER_ID,
  maxTasks: batch,
  maxParallelExecutions: 2 * batch,
  interval: 5,
  lockDuration: 60000,
  autoPoll: false,
  interceptors: bearer,
});

let completed = 0;
let failed = null;
client.subscribe(process.env.W5_TOPIC, async ({ task, taskService }) => {
  const result = new Variables();
  result.set("result", task.variables.get("n") * 2);
  await taskService.complete(task, result);
  completed++;
});
client.on("complete:error", (_task, error) => {
  failed = error;
});
client.on("poll:error", (error) => {
  failed = error;
});
client.on("poll:success", (tasks) => {
  if (failed) {
    console.error(`W5 worker ${process.env.WORKER_ID}: ${failed}`);
    process.exit(1);
  }
  if (tasks.length === 0 && client.activeTasksCount === 0) {
    client.stop();
    const { user, system } = process.cpuUsage();
    console.log(JSON.stringify({ completed, cpuSeconds: (user + system) / 1e6 }));
    process.exit(0);
  }
});

createInterface({ input: process.stdin }).once("line", () => client.start());
