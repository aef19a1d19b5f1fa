// An external-task worker written the way Camunda 7 users write them, with the published
// JavaScript client. It serves three topics until it is stopped:
//   camunda-charge    completes with variables computed from the task's own
//   camunda-flaky     fails, one retry fewer each time, until an incident is raised
//   camunda-validate  throws the BPMN error INVALID with a variable
// Configuration: STEAD_ENGINE_URL (…/engine-rest), STEAD_USER, STEAD_PASSWORD, WORKER_ID.
import {
  BasicAuthInterceptor,
  Client,
  Variables,
  logger,
} from "camunda-external-task-client-js";

const client = new Client({
  baseUrl: process.env.STEAD_ENGINE_URL,
  workerId: process.env.WORKER_ID || "js-worker",
  asyncResponseTimeout: 2000,
  lockDuration: 30000,
  maxTasks: 5,
  interceptors: new BasicAuthInterceptor({
    username: process.env.STEAD_USER,
    password: process.env.STEAD_PASSWORD,
  }),
  use: logger,
});

client.subscribe("camunda-charge", async ({ task, taskService }) => {
  const amount = task.variables.get("amount");
  const order = task.variables.get("order");
  const result = new Variables();
  result.set("charged", true);
  result.set("total", amount * 2);
  result.set("receipt", { orderId: order.id, lines: order.lines.length, by: task.workerId });
  result.setTyped("note", { type: "String", value: `charged ${order.id}`, valueInfo: {} });
  await taskService.complete(task, result);
});

client.subscribe("camunda-flaky", async ({ task, taskService }) => {
  const retries = task.retries == null ? 2 : task.retries - 1;
  await taskService.handleFailure(task, {
    errorMessage: "the card service is down",
    errorDetails: "HTTP 503 from the card service",
    retries,
    retryTimeout: 100,
  });
});

client.subscribe("camunda-validate", async ({ task, taskService }) => {
  const reason = new Variables();
  reason.set("rejection", { code: "INVALID", field: "iban" });
  await taskService.handleBpmnError(task, "INVALID", "the IBAN is invalid", reason);
});

const stop = () => {
  client.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
