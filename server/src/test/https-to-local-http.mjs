// A `node --import` preload for clients that always call `https://<host>/…` and offer no fetch
// hook (backlog-mcp-server, research §8): requests to https://127.0.0.1[:port]/ or
// https://localhost[:port]/ go to plain http on 127.0.0.1, same port (or TORIDE_TEST_HTTP_PORT).
// Nothing else is touched, so no request can leave the machine through it.
const original = globalThis.fetch;
const LOCAL = /^https:\/\/(?:127\.0\.0\.1|localhost)(?::(\d{1,5}))?\//;

globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
  const match = LOCAL.exec(url);
  if (!match) return original(input, init);
  const port = process.env.TORIDE_TEST_HTTP_PORT ?? match[1] ?? '443';
  const target = `http://127.0.0.1:${port}/${url.slice(match[0].length)}`;
  return original(typeof input === 'string' || input instanceof URL ? target : new Request(target, input), init);
};
