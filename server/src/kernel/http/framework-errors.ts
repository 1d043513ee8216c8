import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';

/**
 * Errors that Fastify and Node produce before any route (and so any surface's error handler) is
 * chosen: a bad percent-encoding in the path (FST_ERR_BAD_URL), an over-long path parameter
 * (FST_ERR_MAX_PARAM_LENGTH, 414), and what Node's HTTP parser refuses on the socket (a raw 0xFF
 * byte, oversized headers, a request timeout). Their default bodies have Fastify's shape, and the
 * bad-URL one echoed the whole URL — `?apiKey=` included. Here each is answered in the shape of the
 * surface its path belongs to, and never with the URL (issue 12 §7).
 */
export interface PublicError {
  readonly status: number;
  /** A stable dotted code (`request.bad_url`); surfaces with numeric codes map the status. */
  readonly code: string;
  readonly message: string;
}

export interface RenderedError {
  readonly body: unknown;
  readonly contentType?: string;
}

/** How one surface (a mount such as `/api/v2` or `/scim/v2`) writes an error body. */
export type ErrorRenderer = (error: PublicError) => RenderedError;

export interface ErrorSurface {
  readonly prefix: string;
  readonly render: ErrorRenderer;
}

/** The native shape, for `/api/v1` and everything that is not a mounted surface. */
export const renderTorideError: ErrorRenderer = (error) => ({ body: { error: { code: error.code, message: error.message } } });

/** The surface a path belongs to: the longest mount prefix that is a whole path segment of it. */
export function surfaceFor(surfaces: readonly ErrorSurface[], url: string): ErrorRenderer {
  let best: ErrorSurface | null = null;
  for (const surface of surfaces) {
    if (!surface.prefix) continue;
    const next = url.charAt(surface.prefix.length);
    const matches = url.startsWith(surface.prefix) && (next === '' || next === '/' || next === '?');
    if (matches && (!best || surface.prefix.length > best.prefix.length)) best = surface;
  }
  return best?.render ?? renderTorideError;
}

const BAD_URL: PublicError = { status: 400, code: 'request.bad_url', message: 'The URL is not valid: a percent-encoding does not decode.' };
const PARAM_TOO_LONG: PublicError = { status: 414, code: 'request.uri_too_long', message: 'A path segment of the URL is too long.' };
const MALFORMED: PublicError = { status: 400, code: 'request.malformed', message: 'The HTTP request could not be read.' };
const TIMEOUT: PublicError = { status: 408, code: 'request.timeout', message: 'The request took too long to arrive.' };
const HEADERS_TOO_LARGE: PublicError = { status: 431, code: 'request.headers_too_large', message: 'The request headers are too large.' };
const INTERNAL: PublicError = { status: 500, code: 'internal', message: 'Internal error.' };

function frameworkErrorFor(error: FastifyError): PublicError {
  if (error.code === 'FST_ERR_BAD_URL') return BAD_URL;
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return PARAM_TOO_LONG;
  if (error.code === 'FST_ERR_ASYNC_CONSTRAINT') return INTERNAL;
  return MALFORMED;
}

/** The path of the request line in the bytes Node's parser refused (latin1: any byte is one char). */
function pathOfRawPacket(packet: unknown): string {
  if (!Buffer.isBuffer(packet)) return '';
  const line = packet.subarray(0, Math.min(packet.length, 2048)).toString('latin1').split('\r\n', 1)[0] ?? '';
  return line.split(' ')[1] ?? '';
}

function socketErrorFor(error: NodeJS.ErrnoException): PublicError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return TIMEOUT;
  if (error.code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE;
  return MALFORMED;
}

/** `frameworkErrors` and `clientErrorHandler` for the Fastify constructor, rendering per surface. */
export function frameworkErrorOptions(surfaces: readonly ErrorSurface[], logger: Logger): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const publicError = frameworkErrorFor(error);
      if (publicError.status >= 500) request.log.error({ code: error.code }, 'framework error');
      const rendered = surfaceFor(surfaces, request.raw.url ?? '')(publicError);
      return reply
        .status(publicError.status)
        .type(rendered.contentType ?? 'application/json; charset=utf-8')
        .send(JSON.stringify(rendered.body));
    },
    clientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Duplex) {
      // A reset connection has nobody to answer (Node's and Fastify's defaults do the same).
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const publicError = socketErrorFor(error);
      logger.debug({ code: error.code, status: publicError.status }, 'client error');
      if (socket.writable) {
        const rendered = surfaceFor(surfaces, pathOfRawPacket(error.rawPacket))(publicError);
        const body = JSON.stringify(rendered.body);
        socket.write(
          `HTTP/1.1 ${publicError.status} ${STATUS_CODES[publicError.status] ?? 'Error'}\r\n` +
            `Content-Type: ${rendered.contentType ?? 'application/json; charset=utf-8'}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy();
    },
  };
}
