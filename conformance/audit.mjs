// Runs the graphql-http audit suite (the GraphQL-over-HTTP spec's checks)
// against a running ThriveGraph server and prints every result.
//
//   node audit.mjs http://127.0.0.1:8080/graphql [--max-warn N]
//
// Exits 1 when any audit errors (a MUST is broken), when more than N
// audits warn (default 0), or when the server cannot be reached. Only
// loopback URLs are accepted: the audit is for a server of your own.
import { auditServer } from 'graphql-http';

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--'));
const maxWarnAt = args.indexOf('--max-warn');
const maxWarn = maxWarnAt >= 0 ? Number(args[maxWarnAt + 1]) : 0;
if (!url) {
  console.error('usage: node audit.mjs URL [--max-warn N]');
  process.exit(2);
}
const host = new URL(url).hostname;
if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
  console.error(`refusing to audit ${url}: only loopback servers`);
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const r of results) {
  counts[r.status]++;
  if (r.status === 'ok') {
    console.log(`ok     ${r.id} ${r.name}`);
    continue;
  }
  let body = '';
  try {
    body = await r.response.text();
  } catch {
    // the body may have been read by the audit already
  }
  console.log(`${r.status.padEnd(6)} ${r.id} ${r.name}\n       ${r.reason}` +
    `\n       HTTP ${r.response.status} ${r.response.headers.get('content-type') ?? ''} ${body.slice(0, 300)}`);
}
console.log(`\ngraphql-http audit of ${url}: ${counts.ok} ok, ${counts.warn} warn, ${counts.error} error` +
  (counts.notice ? `, ${counts.notice} notice` : ''));
if (counts.error > 0 || counts.warn > maxWarn) {
  process.exit(1);
}
