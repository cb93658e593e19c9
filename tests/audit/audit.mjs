// Runs every GraphQL-over-HTTP server audit from `graphql-http` against a GraphQL endpoint.
//
//   node tests/audit/audit.mjs http://127.0.0.1:8000/graphql
//
// Prints one JSON line per audit, in the package's order:
//   {"id": "22EB", "name": "SHOULD ...", "status": "ok"}
//   {"id": "...", "name": "...", "status": "warn", "reason": "...", "response": {...}}
// `status` is the package's: "ok", or for a failed audit "error" (a MUST), "warn" (a SHOULD) or
// "notice" (a MAY). An audit that could not run at all (the server unreachable, a request timing
// out) is reported as "error". Exits 1 if any audit errors or warns, 2 on a usage error.

import { serverAudits } from 'graphql-http';

// Each request an audit makes is bounded, so that a hung server fails the audit, not the run.
const REQUEST_TIMEOUT_MS = 10_000;
// How much of a failing response's body to show.
const BODY_EXCERPT = 500;

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  console.error('usage: node audit.mjs <graphql endpoint URL>');
  process.exit(2);
}

// Every response's body, read before the audit sees it, to show what a failing audit got.
const bodies = new WeakMap();

async function fetchFn(input, init = {}) {
  const response = await fetch(input, {
    ...init,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  try {
    bodies.set(response, await response.clone().text());
  } catch (error) {
    bodies.set(response, `<body unreadable: ${error}>`);
  }
  return response;
}

// The response an audit reports is the one it got or, when the audit read its body, a clone.
async function describe(response) {
  if (!response) return undefined;
  let body = bodies.get(response);
  if (body === undefined) {
    body = response.bodyUsed ? '<body already read>' : await response.text().catch(String);
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT)}…` : body,
  };
}

let failed = false;
for (const audit of serverAudits({ url, fetchFn })) {
  let line;
  try {
    const result = await audit.fn();
    line = { id: result.id, name: result.name, status: result.status };
    if (result.status !== 'ok') {
      line.reason = result.reason;
      line.response = await describe(result.response);
    }
  } catch (error) {
    // The package throws (rather than reporting a failure) only when the audit could not run.
    const cause = error?.cause ? ` (${error.cause})` : '';
    line = {
      id: audit.id,
      name: audit.name,
      status: 'error',
      reason: `the audit could not run: ${error}${cause}`,
    };
  }
  failed ||= line.status === 'error' || line.status === 'warn';
  console.log(JSON.stringify(line));
}
process.exitCode = failed ? 1 : 0;
