// Where Sluice's answers differ from Kafka Connect's on purpose, by step of the parity test:
// docs/http-api.md explains each. The test fails when a difference appears or goes away.

export const DELIBERATE: Record<string, string[]> = {
  // Which worker answered: a Sluice cluster's workers all serve the same API.
  'GET /': ['.worker_id: only in Sluice'],
  // Bad input is the client's fault: Kafka Connect's 500 says it is the server's.
  'create, malformed JSON': ['status 500 in Kafka Connect, 400 in Sluice'],
  'set a bad level': ['status 404 in Kafka Connect, 400 in Sluice'],
  // Which worker is healthy, for probes that go through a load balancer.
  health: ['.workerId: only in Sluice'],
};
