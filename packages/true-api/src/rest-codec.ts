/**
 * The REST side of the serialize phase: openapi-fetch serializes requests and deserializes data;
 * this policy stands between it and the wire on the way back. It undoes a gzip/deflate encoding
 * within the response cap, turns a non-2xx answer into TrueApiError, and reads a JSON answer once
 * (valid UTF-8, JSON that parses) so a broken body is a DecodeError and never a SyntaxError
 * quoting it. `toFetchResponse` hands the result to openapi-fetch.
 */
import { type PipelinePolicy, type PipelineResponse, secretsOf } from '@kz/soap';
import { decodeContent, utf8Text } from './body.js';
import { bodyError, errorFromBody, notJson } from './errors.js';

/** The name of the REST codec policy (phase serialize). */
export const REST_CODEC_POLICY = 'rest-codec';

/** How openapi-fetch reads the answer of a call (its `parseAs`). */
export type ParseAs = 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';

/** What a True API request carries for the serialize phase (`PipelineRequest.input`). */
export interface RestCall {
  readonly parseAs: ParseAs;
}

/** Statuses whose responses carry no body (a Response must not be given one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function restCodecPolicy(maxResponseBytes: number): PipelinePolicy {
  return {
    name: REST_CODEC_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      const context = { service: request.service, operation: request.operation };
      const encoding = headerOf(response, 'content-encoding');
      if (encoding) {
        response.body = await decodeContent(response.body, encoding, maxResponseBytes).catch((error: unknown) => {
          throw bodyError(context, error, response.status);
        });
        // The body handed on is decoded: its length and encoding headers no longer apply.
        delete response.headers['content-encoding'];
        delete response.headers['content-length'];
      }
      if (response.status < 200 || response.status >= 300) {
        throw errorFromBody(context, response.status, response.body.toString('utf8'), secretsOf(request));
      }
      const { parseAs } = (request.input ?? { parseAs: 'json' }) as RestCall;
      if (parseAs !== 'json' || request.method === 'HEAD' || NULL_BODY.has(response.status)) return response;
      let text: string;
      try {
        text = utf8Text(response.body);
      } catch (error) {
        throw bodyError(context, error, response.status);
      }
      if (text.trim() === '') return response;
      try {
        response.output = JSON.parse(text);
      } catch {
        throw notJson(context, response.status, headerOf(response, 'content-type'), text, secretsOf(request));
      }
      return response;
    },
  };
}

/** The pipeline's answer as the Response openapi-fetch reads: a JSON value already parsed is taken as is. */
export function toFetchResponse(response: PipelineResponse, url: string, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const empty = NULL_BODY.has(response.status) || method === 'HEAD';
  let result: Response;
  if (response.output !== undefined) {
    headers.set('content-length', String(response.body.length));
    result = new Response(null, { status: response.status, headers });
    const value = response.output;
    Object.defineProperty(result, 'json', { value: () => Promise.resolve(value) });
  } else {
    result = new Response(empty ? null : response.body, { status: response.status, headers });
  }
  Object.defineProperty(result, 'url', { value: url });
  return result;
}

function headerOf(response: PipelineResponse, name: string): string {
  const value = response.headers[name];
  return (Array.isArray(value) ? value.join(', ') : value) ?? '';
}
