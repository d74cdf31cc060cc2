import type { Request, Response } from 'express';
import { ErrorRenderer } from '../../../../platform/errors/problem-details.filter';
import type { Problem } from '../../../../platform/errors/problem';

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

/** On `/v1` errors keep the caller's format: Anthropic's on `/v1/messages`, OpenAI's elsewhere. */
export class ProxyErrorRenderer extends ErrorRenderer {
  render(problem: Problem, req: Request, res: Response, headers: Record<string, string>): boolean {
    const path = req.originalUrl ?? req.url;
    if (!path.startsWith('/v1/') && path !== '/v1') return false;
    if (res.headersSent) {
      res.end();
      return true;
    }
    const code = problem.type.replace(/^urn:keyway:problem:/, '');
    const body = path.startsWith('/v1/messages')
      ? { type: 'error', error: { type: ANTHROPIC_TYPES[problem.status] ?? 'api_error', message: messageOf(problem) }, request_id: problem.requestId }
      : { error: { message: messageOf(problem), type: OPENAI_TYPES[problem.status] ?? 'server_error', param: problem.errors?.[0]?.field ?? null, code } };
    res.status(problem.status);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
    return true;
  }
}

function messageOf(problem: Problem): string {
  if (!problem.errors?.length) return problem.detail;
  return `${problem.detail} ${problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
}
