// A `node --import` preload for clients that always call `https://<host>/…` and offer no fetch
// hook (backlog-mcp-server, research §8): requests to https://127.0.0.1[:port]/ or
// https://localhost[:port]/ go to plain http on 127.0.0.1, same port (or TORIDE_TEST_HTTP_PORT).
// Nothing else is touched, so no request can leave the machine through it.
const original = globalThis.fetch;

globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
  if (url.protocol !== 'https:' || (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')) return original(input, init);
  const target = `http://127.0.0.1:${process.env.TORIDE_TEST_HTTP_PORT ?? (url.port || '443')}${url.pathname}${url.search}`;
  return original(typeof input === 'string' || input instanceof URL ? target : new Request(target, input), init);
};
