import { Controller, HttpCode, Logger, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../../platform/auth/authorize.decorator';
import { assertOpenAiChatRequest } from '../../../../providers/openai/openai-request.guard';
import { assertAnthropicMessagesRequest } from '../../../../providers/anthropic/anthropic-request.guard';
import type { CallerFormat, CanonicalUsage } from '../../../../providers/canonical/chat';
import { ProviderError } from '../../../../providers/canonical/provider-error';
import { providerErrorToOpenAiBody } from '../../../../providers/openai/openai-error.translate';
import { providerErrorToAnthropicBody } from '../../../../providers/anthropic/anthropic-error.translate';
import { ProxyRequest as RouteRequest, ProxyService, Served } from '../../application/proxy.service';
import { ActivityEntry, ActivitySink, AttemptRecord } from '../../application/ports/activity-sink.port';
import { ApiKeyGuard, ProxyRequest } from './api-key.guard';
import { DomainError } from '../../../../platform/errors/domain-error';

const PASS_HEADERS = ['anthropic-version', 'anthropic-beta'];

/**
 * `POST /v1/chat/completions` (OpenAI format) and `POST /v1/messages` (Anthropic format). Kept
 * lean on purpose: raw request and response, the compiled body checks of the providers layer,
 * no interceptors; a stream is written chunk by chunk with backpressure, and a client that goes
 * away aborts the upstream request.
 */
@ApiTags('proxy')
@ApiSecurity('api-key')
@Controller('v1')
export class ChatController {
  private readonly logger = new Logger('Proxy');

  constructor(
    private readonly proxy: ProxyService,
    private readonly activity: ActivitySink,
  ) {}

  @Post('chat/completions')
  @HttpCode(200)
  @Public()
  @UseGuards(ApiKeyGuard)
  @ApiOperation({
    summary: 'Chat completion (OpenAI format), streaming or not',
    description:
      'Routes to an integration of the key’s project (DESIGN §5). Headers: `x-keyway-provider-slug` pins an integration; `x-keyway-config` applies a gateway config of the project. Response headers: `x-request-id`, `x-keyway-provider-slug`, `x-keyway-credential-source`.',
  })
  @ApiBody({ schema: { type: 'object', required: ['model', 'messages'], example: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] } } })
  @ApiOkResponse({ description: 'A chat.completion object, or an SSE stream of chat.completion.chunk objects ending with `data: [DONE]`.' })
  chatCompletions(@Req() req: ProxyRequest, @Res() res: Response): Promise<void> {
    assertOpenAiChatRequest(req.body);
    return this.handle('openai', '/v1/chat/completions', req, res);
  }

  @Post('messages')
  @HttpCode(200)
  @Public()
  @UseGuards(ApiKeyGuard)
  @ApiOperation({ summary: 'Messages (Anthropic format), streaming or not', description: 'Same routing as /v1/chat/completions; errors in Anthropic’s format.' })
  @ApiBody({ schema: { type: 'object', required: ['model', 'messages', 'max_tokens'], example: { model: 'anthropic/claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] } } })
  @ApiOkResponse({ description: 'A message object, or an SSE stream of Anthropic events.' })
  messages(@Req() req: ProxyRequest, @Res() res: Response): Promise<void> {
    assertAnthropicMessagesRequest(req.body);
    return this.handle('anthropic', '/v1/messages', req, res);
  }

  @Post('messages/count_tokens')
  @ApiExcludeEndpoint()
  @Public()
  @UseGuards(ApiKeyGuard)
  countTokens(@Res() res: Response): void {
    res.status(404).json({ type: 'error', error: { type: 'not_found_error', message: 'Token counting is not supported by this gateway.' } });
  }

  private async handle(caller: CallerFormat, endpoint: string, req: ProxyRequest, res: Response): Promise<void> {
    const started = performance.now();
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const body = req.body as Record<string, unknown>;
    const route: RouteRequest = {
      caller,
      endpoint,
      body,
      key: req.gatewayKey!,
      pinnedSlug: header(req, 'x-keyway-provider-slug'),
      configName: header(req, 'x-keyway-config'),
      passHeaders: Object.fromEntries(PASS_HEADERS.flatMap((h) => (header(req, h) ? [[h, header(req, h)!]] : []))),
      signal: abort.signal,
      progress: { upstreamMs: 0, lastTried: null },
    };
    const attempts: AttemptRecord[] = [];
    const entry = baseEntry(req, route, endpoint);
    let gatewayEnd: number | undefined;
    try {
      if (body.stream === true) gatewayEnd = await this.stream(route, attempts, res, entry, started);
      else await this.whole(route, attempts, res, entry);
    } catch (error) {
      if (route.progress.lastTried) describe(entry, route.progress.lastTried, NO_USAGE, null);
      entry.status = abort.signal.aborted ? 'cancelled' : 'error';
      entry.httpStatus = error instanceof ProviderError || error instanceof DomainError ? statusOf(error) : 500;
      entry.errorCode = error instanceof ProviderError ? error.kind : error instanceof DomainError ? error.type : 'internal';
      entry.errorMessage = error instanceof Error ? error.message : null;
      if (error instanceof ProviderError) this.answerProviderError(caller, error, res);
      else throw error;
    } finally {
      entry.attempts = attempts;
      const ended = performance.now();
      entry.latencyMs = Math.round(ended - started);
      const upstreamMs = route.progress.upstreamMs;
      this.activity.record(entry, { upstreamMs, gatewayMs: Math.max(0, (gatewayEnd ?? ended) - started - upstreamMs) });
      this.logger.log({
        reqId: entry.requestId,
        req: { method: 'POST', url: endpoint },
        res: { statusCode: entry.httpStatus },
        providerSlug: entry.providerSlug,
        model: entry.requestedModel,
        status: entry.status,
        responseTime: entry.latencyMs,
      }, 'request completed');
    }
  }

  private async whole(route: RouteRequest, attempts: AttemptRecord[], res: Response, entry: ActivityEntry): Promise<void> {
    const outcome = await this.proxy.chat(route, attempts);
    const { result, served } = outcome;
    const cost = this.proxy.costOf(served, result.usage);
    this.proxy.settle(outcome, cost);
    describe(entry, served, result.usage, cost);
    entry.servedModel = result.servedModel;
    servedHeaders(res, served);
    res.status(200).setHeader('content-type', 'application/json');
    res.end(result.body);
  }

  /** Returns when the stream opened (the end of the gateway's own work before it). */
  private async stream(route: RouteRequest, attempts: AttemptRecord[], res: Response, entry: ActivityEntry, started: number): Promise<number> {
    const outcome = await this.proxy.streamChat(route, attempts);
    const { result, served } = outcome;
    const opened = performance.now();
    servedHeaders(res, served);
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    let failure: ProviderError | undefined;
    let left = false;
    let usage: CanonicalUsage;
    let cost: number | null;
    try {
      for await (const frame of result.frames) {
        // A client that went away: 'close' may already have been emitted, so never wait for it then.
        if ((left = res.destroyed)) break;
        entry.ttfbMs ??= Math.round(performance.now() - started);
        if (!res.write(frame) && !res.destroyed) await drainedOrClosed(res);
      }
      // Left before the end: cancelled, even if the provider had not noticed yet.
      failure = result.failure() ?? (left ? ProviderError.clientGone() : undefined);
    } finally {
      usage = result.usage();
      cost = this.proxy.costOf(served, usage);
      this.proxy.streamEnded(outcome, failure, cost);
    }
    describe(entry, served, usage, cost);
    entry.servedModel = result.servedModel();
    if (failure) {
      entry.status = failure.status === 499 || res.destroyed ? 'cancelled' : 'error';
      entry.httpStatus = failure.status;
      entry.errorCode = failure.kind;
      entry.errorMessage = failure.message;
    }
    res.end();
    return opened;
  }

  private answerProviderError(caller: CallerFormat, error: ProviderError, res: Response): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error.retryAfterMs !== undefined) res.setHeader('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
    const body = caller === 'openai' ? providerErrorToOpenAiBody(error) : providerErrorToAnthropicBody(error);
    res.status(error.status === 499 ? 499 : error.status).setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }
}

/** Resolves on the first of 'drain' and 'close', removing both listeners (a long stream waits many times). */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function servedHeaders(res: Response, served: Served): void {
  res.setHeader('x-keyway-provider-slug', served.providerSlug);
  res.setHeader('x-keyway-credential-source', served.credentialSource);
}

function statusOf(error: ProviderError | DomainError): number {
  if (error instanceof ProviderError) return error.status;
  return { invalid: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, payload_too_large: 413, rate_limited: 429, unavailable: 503 }[error.kind];
}

function baseEntry(req: ProxyRequest, route: RouteRequest, endpoint: string): ActivityEntry {
  return {
    requestId: String(req.id ?? ''),
    organizationId: route.key.organizationId,
    projectId: route.key.projectId,
    apiKeyId: route.key.apiKeyId,
    integrationId: null,
    providerSlug: null,
    provider: null,
    credentialSource: null,
    requestedModel: String(route.body.model ?? ''),
    servedModel: null,
    virtualModel: null,
    endpoint,
    stream: route.body.stream === true,
    status: 'success',
    httpStatus: 200,
    errorCode: null,
    errorMessage: null,
    attempts: [],
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costUsd: null,
    latencyMs: 0,
    ttfbMs: null,
    createdAt: new Date(),
  };
}

const NO_USAGE = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };

function describe(entry: ActivityEntry, served: Served, usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number; cacheWriteTokens: number }, cost: number | null): void {
  entry.integrationId = served.integrationId;
  entry.providerSlug = served.providerSlug;
  entry.provider = served.provider;
  entry.credentialSource = served.credentialSource;
  entry.virtualModel = served.virtualModel;
  entry.inputTokens = usage.inputTokens;
  entry.outputTokens = usage.outputTokens;
  entry.cachedTokens = usage.cachedInputTokens;
  entry.cacheWriteTokens = usage.cacheWriteTokens;
  entry.costUsd = cost;
}
