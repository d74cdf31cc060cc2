import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { KeywayConfig } from '../config/keyway-config';
import { REDACT_PATHS } from './redaction';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's `x-request-id` is kept when it is a plain token; otherwise a new one is made. Always echoed back. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** Structured JSON logs (pino), one line per request, with the request id and secrets censored. `destination` defaults to stdout. */
@Module({})
export class LoggingModule {
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [KeywayConfig],
          useFactory: (config: KeywayConfig) => ({
            // The proxy logs its own single line per request (ChatController): pino-http's child
            // loggers, redaction and async context cost ~12% of CPU per proxied request.
            exclude: [{ method: RequestMethod.ALL, path: 'v1/*path' }],
            pinoHttp: [
              {
                level: config.logLevel,
                genReqId: (req: IncomingMessage, res: ServerResponse) => (req as { id?: string }).id ?? requestIdOf(req, res),
                redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
                customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
                  err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
                serializers: {
                  req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: stripQuery(req.url) }),
                  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
                },
                autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
                quietReqLogger: true,
              },
              destination ?? process.stdout,
            ],
          }),
        }),
      ],
    };
  }
}

function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
