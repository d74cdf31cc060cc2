import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, FieldError } from './domain-error';
import { Problem, STATUS_BY_KIND, problemType, sendProblem, titleFor } from './problem';

/** How an error is rendered for a path: problem+json on the management API, the caller's format on `/v1`. */
export abstract class ErrorRenderer {
  /** Returns true when it rendered the error for this request (e.g. in OpenAI or Anthropic format). */
  abstract render(problem: Problem, req: Request, res: Response, headers: Record<string, string>): boolean;
}

/**
 * The one exception filter. Domain errors map by `kind`; Nest's HTTP exceptions keep their
 * status; anything else is a 500 that carries only the request id (the error is logged).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly renderers: ErrorRenderer[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const requestId = String(req.id ?? '');
    const { problem, headers } = this.toProblem(exception, requestId);
    problem.instance = req.originalUrl?.split('?')[0];
    for (const renderer of this.renderers) {
      if (renderer.render(problem, req, res, headers)) return;
    }
    sendProblem(res, problem, headers);
  }

  toProblem(exception: unknown, requestId: string): { problem: Problem; headers: Record<string, string> } {
    if (exception instanceof DomainError) {
      const status = STATUS_BY_KIND[exception.kind];
      const headers: Record<string, string> = {};
      const retryAfter = (exception as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      return {
        problem: withErrors(
          { type: problemType(exception.type), title: titleFor(status), status, detail: exception.message, requestId },
          exception.errors,
        ),
        headers,
      };
    }
    const bodyParser = bodyParserProblem(exception, requestId);
    if (bodyParser) return { problem: bodyParser, headers: {} };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail = typeof response === 'string' ? response : messageOf(response) ?? exception.message;
      const slug = status === 404 ? 'not-found' : titleFor(status).toLowerCase().replace(/\s+/g, '-');
      return { problem: { type: problemType(slug), title: titleFor(status), status, detail, requestId }, headers: {} };
    }
    this.logger.error({ err: exception, requestId }, 'unhandled error');
    return {
      problem: {
        type: problemType('internal'),
        title: titleFor(500),
        status: 500,
        detail: `An unexpected error occurred; quote request id ${requestId} when reporting it.`,
        requestId,
      },
      headers: {},
    };
  }
}

function withErrors(problem: Problem, errors: FieldError[] | undefined): Problem {
  return errors && errors.length > 0 ? { ...problem, errors } : problem;
}

function messageOf(response: object): string | undefined {
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}

type BodyParserError = { type?: string; status?: number; expose?: boolean; limit?: number };

/** Errors raised by the JSON body parser (malformed JSON, too large, bad charset). */
export function bodyParserProblem(exception: unknown, requestId: string): Problem | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const err = exception as BodyParserError;
  const detailByType: Record<string, string> = {
    'entity.parse.failed': 'The request body is not valid JSON.',
    'entity.too.large': `The request body is larger than the limit${err.limit ? ` of ${err.limit} bytes` : ''}.`,
    'encoding.unsupported': 'The request body encoding is not supported.',
    'charset.unsupported': 'The request body charset is not supported; send UTF-8.',
    'request.aborted': 'The request was aborted while its body was being read.',
    'entity.verify.failed': 'The request body could not be verified.',
  };
  if (!err.type || !(err.type in detailByType) || typeof err.status !== 'number') return undefined;
  const slug = err.type === 'entity.parse.failed' ? 'malformed-json' : err.type === 'entity.too.large' ? 'body-too-large' : 'unsupported-body';
  return { type: problemType(slug), title: titleFor(err.status), status: err.status, detail: detailByType[err.type], requestId };
}
