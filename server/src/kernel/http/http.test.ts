import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../test/client';
import { PASSWORD, uniqueEmail } from '../../test/factories';
import { buildTestApp, type TestApp } from '../../test/harness';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('HTTP defaults', () => {
  it('sends a strict CSP and helmet headers, and no HSTS over plain loopback HTTP', async () => {
    const response = await new TestClient(t.app).get('/healthz');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers unknown routes, malformed and oversized bodies with the one error shape and no internals', async () => {
    const client = new TestClient(t.app);
    const missing = await client.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('route.not_found');
    const malformed = await client.request('POST', '/api/v1/sessions', '{"email":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: { code: 'request.invalid', message: 'The request body is not valid JSON.' } });
    const huge = await client.request('POST', '/api/v1/sessions', JSON.stringify({ email: 'x', password: 'y'.repeat(2_000_000) }), { 'content-type': 'application/json' });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('request.too_large');
  });

  it('publishes OpenAPI generated from the zod schemas', async () => {
    const response = await new TestClient(t.app).get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.0.3');
    for (const route of ['/api/v1/signup', '/api/v1/sessions', '/api/v1/me', '/api/v1/orgs/{orgId}/invitations', '/api/v1/invitations/{token}/accept', '/api/v1/orgs/{orgId}/members/{accountId}', '/api/v1/orgs/{orgId}/teams/{teamId}', '/api/v1/me/api-keys/{keyId}']) {
      expect(Object.keys(response.body.paths)).toContain(route);
    }
    expect(JSON.stringify(response.body.paths['/api/v1/signup'].post.requestBody)).toContain('orgName');
  });

  it('never leaks a stack trace or SQL on an internal error', async () => {
    const fresh = await buildTestApp();
    try {
      fresh.app.get('/api/v1/__boom', { config: { auth: 'public' } }, async () => {
        throw new Error('SELECT secret FROM accounts');
      });
      const response = await new TestClient(fresh.app).get('/api/v1/__boom');
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ error: { code: 'internal', message: 'Internal error.' } });
    } finally {
      await fresh.close();
    }
  });
});

describe('built-in HTTPS (W9.2)', () => {
  it('serves TLS 1.2+ only, with HSTS and Secure cookies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'toride-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    // From npm, not the openssl binary: `npm test` needs Node alone (issue 10).
    const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });
    writeFileSync(cert, pems.cert);
    writeFileSync(key, pems.private);
    const tls = await buildTestApp({ config: { tlsCert: cert, tlsKey: key, host: '127.0.0.1', port: 0 } });
    try {
      await tls.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (tls.app.server.address() as AddressInfo).port;
      const body = JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: 'T', orgName: 'T', locale: 'en' });
      const response = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port, path: '/api/v1/signup', method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(response.status).toBe(201);
      expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(String(response.headers['set-cookie'])).toMatch(/toride_session=[^;]+;.*Secure/);

      const oldTls = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', rejectUnauthorized: false });
        socket.on('secureConnect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', () => resolve('refused'));
      });
      expect(oldTls).toBe('refused');
    } finally {
      await tls.close();
    }
  });
});
