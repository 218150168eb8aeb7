// What the browser test and the measurement share: the server, the browser
// and a GraphQL client that asks the server directly.

/** base is the server under test, such as http://127.0.0.1:8080. */
export const base = process.env.THRIVEGRAPH_URL;
if (!base) throw new Error('THRIVEGRAPH_URL must name the server, such as http://127.0.0.1:8080');

/** executablePath is Debian's Chromium, or $THRIVEGRAPH_CHROMIUM. */
export const executablePath = process.env.THRIVEGRAPH_CHROMIUM || '/usr/bin/chromium';

/** chromiumArgs run Chromium headless, offline and without its own traffic. */
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** LOOPBACK holds the host names a request may go to. */
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** gql sends one operation to the server and returns its data; errors throw. */
export async function gql(query, variables = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}
