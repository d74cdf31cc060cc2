import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from '../../app.module';
import { KeywayConfig } from '../config/keyway-config';
import { bodyParserProblem, ErrorRenderer, ProblemDetailsFilter } from '../errors/problem-details.filter';
import { sendProblem } from '../errors/problem';
import { createValidationPipe } from '../validation/validation.pipe';
import { buildOpenApiDocument } from './openapi';
import { requestIdOf } from '../logging/logging.module';

/** Builds the HTTP application; `main.ts` listens on it, the e2e suites drive it directly. */
export async function createApp(config: KeywayConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  configureApp(app, config);
  await app.init();
  return app;
}

export function configureApp(app: NestExpressApplication, config: KeywayConfig): void {
  app.disable('x-powered-by');
  const renderers = renderersOf(app);
  const bodyErrors = bodyErrorHandler(renderers);
  app.use(assignRequestId);
  app.use('/api', json({ limit: config.apiBodyLimit }), bodyErrors);
  app.use('/v1', json({ limit: config.proxyBodyLimit }), bodyErrors);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(renderers));
  app.enableShutdownHooks();
  if (config.swagger) mountSwagger(app);
}

function renderersOf(app: NestExpressApplication): ErrorRenderer[] {
  try {
    return [app.get(ErrorRenderer, { strict: false })];
  } catch {
    return [];
  }
}

function mountSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  req.id = requestIdOf(req, res);
  next();
}

/** Body-parser failures happen before Nest's pipeline, so they are rendered here (in the caller's format on /v1). */
function bodyErrorHandler(renderers: ErrorRenderer[]) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const found = bodyParserProblem(error, String(req.id ?? ''));
    if (!found) return next(error);
    const problem = { ...found, instance: req.originalUrl.split('?')[0] };
    if (renderers.some((r) => r.render(problem, req, res, {}))) return;
    sendProblem(res, problem);
  };
}
